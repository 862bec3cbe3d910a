package dev.herald.runtime;

/** Redis URLs as people may see them: in logs, output and errors, never with a password. */
public final class RedisUrl {

    private RedisUrl() {
    }

    /** {@code redis://user:secret@host:6379} as {@code redis://user:***@host:6379}; a URL without a password as it is. */
    public static String redacted(String url) {
        if (url == null) {
            return null;
        }
        int scheme = url.indexOf("://");
        int start = scheme < 0 ? 0 : scheme + 3;
        int at = url.lastIndexOf('@');
        if (at < start) {
            return url;
        }
        String userInfo = url.substring(start, at);
        int colon = userInfo.indexOf(':');
        String user = colon < 0 ? "" : userInfo.substring(0, colon);
        // a lone user-info part is a password for Redis (redis://secret@host), as AUTH takes it
        return url.substring(0, start) + user + ":***" + url.substring(at);
    }
}
