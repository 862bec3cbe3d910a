package dev.herald.compat;

import java.util.List;
import java.util.Set;

/**
 * One rule of a registry against its baseline: what was published may not change or disappear.
 * Rules are registered in {@link #ALL}; each declares the rules it reports and reports only
 * through {@link Published#report}.
 */
interface BaselineRule {

    List<BaselineRule> ALL = List.of(new ServicesKept(), new PublishedEventsKept(), new PublishedFilesUnchanged());

    Set<Rule> rules();

    void check(Published published);
}
