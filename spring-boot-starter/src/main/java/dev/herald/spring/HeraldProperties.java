package dev.herald.spring;

import org.springframework.boot.context.properties.ConfigurationProperties;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** {@code herald.*}: everything the Messenger and Worker builders offer, as properties. */
@ConfigurationProperties(prefix = "herald")
public class HeraldProperties {

    /** This application's service, as named in the registry (registry.json). */
    private String service;
    /** Event names or patterns (order.*) to receive; default: the events the @HeraldListener methods take. */
    private List<String> listensTo = new ArrayList<>();
    /** Key prefix in Redis; default: the catalog's namespace. */
    private String namespace;
    /** Secret shared by this service's instances for its consumer group's name (see docs/security.md); default HERALD_GROUP_SECRET. */
    private String groupSecret;
    /** How long a send waits for Redis before it fails (unset: the Messenger's default, 60 s). */
    private Duration sendTimeout;
    /** How often this instance says it is alive, at most 5 s (unset: the Messenger's default, 5 s). */
    private Duration heartbeat;
    private final Redis redis = new Redis();
    private final Workers workers = new Workers();

    /** How to reach Redis: one of url, cluster, config (credentials from HERALD_REDIS_USERNAME / HERALD_REDIS_PASSWORD). */
    public static class Redis {
        /** One server: redis:// or rediss://. */
        private String url;
        /** A Redis Cluster by some of its nodes: host:port,host:port. */
        private String cluster;
        /** Redisson's own YAML file (Sentinel, TLS stores, pools). */
        private String config;

        public String getUrl() {
            return url;
        }

        public void setUrl(String url) {
            this.url = url;
        }

        public String getCluster() {
            return cluster;
        }

        public void setCluster(String cluster) {
            this.cluster = cluster;
        }

        public String getConfig() {
            return config;
        }

        public void setConfig(String config) {
            this.config = config;
        }
    }

    /** The worker fed by the @HeraldListener methods; what is unset takes the Worker builder's default. */
    public static class Workers {
        /** False on a canary: it sends and registers, but consumes nothing. */
        private boolean enabled = true;
        /** Handlers running at once (Worker default 16). */
        private Integer concurrency;
        /** Attempts of a failing handler before its event is dead-lettered (default 5). */
        private Integer maxAttempts;
        /** First retry delay, then doubled with jitter (default 500 ms). */
        private Duration backoffInitial;
        /** Longest retry delay (default 5 min). */
        private Duration backoffMax;
        /** How long an event stays with a worker that neither acknowledges nor renews it before another takes it (default 60 s). */
        private Duration visibilityTimeout;
        /** Deliveries of one event (crashes, hangs) before it is dead-lettered (default 10). */
        private Integer maxDeliveries;
        /** How long handler results are kept (default 15 min). */
        private Duration resultRetention;
        /** Longest a handler may run before it is interrupted; unset: no limit. */
        private Duration handlerTimeout;
        /** How long shutdown waits for running handlers. */
        private Duration drainTimeout = Duration.ofSeconds(30);
        /** Check each record's constraints before its handler (default true; off only where ACL users keep other writers out). */
        private Boolean validateOnReceipt;
        /** At low rates, handlers averaging under this run on the reading thread (default 200 µs; 0: always hand off). */
        private Duration inlineBelow;

        public Duration getInlineBelow() {
            return inlineBelow;
        }

        public void setInlineBelow(Duration inlineBelow) {
            this.inlineBelow = inlineBelow;
        }

        public Boolean getValidateOnReceipt() {
            return validateOnReceipt;
        }

        public void setValidateOnReceipt(Boolean validateOnReceipt) {
            this.validateOnReceipt = validateOnReceipt;
        }

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Integer getConcurrency() {
            return concurrency;
        }

        public void setConcurrency(Integer concurrency) {
            this.concurrency = concurrency;
        }

        public Integer getMaxAttempts() {
            return maxAttempts;
        }

        public void setMaxAttempts(Integer maxAttempts) {
            this.maxAttempts = maxAttempts;
        }

        public Duration getBackoffInitial() {
            return backoffInitial;
        }

        public void setBackoffInitial(Duration backoffInitial) {
            this.backoffInitial = backoffInitial;
        }

        public Duration getBackoffMax() {
            return backoffMax;
        }

        public void setBackoffMax(Duration backoffMax) {
            this.backoffMax = backoffMax;
        }

        public Duration getVisibilityTimeout() {
            return visibilityTimeout;
        }

        public void setVisibilityTimeout(Duration visibilityTimeout) {
            this.visibilityTimeout = visibilityTimeout;
        }

        public Integer getMaxDeliveries() {
            return maxDeliveries;
        }

        public void setMaxDeliveries(Integer maxDeliveries) {
            this.maxDeliveries = maxDeliveries;
        }

        public Duration getResultRetention() {
            return resultRetention;
        }

        public void setResultRetention(Duration resultRetention) {
            this.resultRetention = resultRetention;
        }

        public Duration getHandlerTimeout() {
            return handlerTimeout;
        }

        public void setHandlerTimeout(Duration handlerTimeout) {
            this.handlerTimeout = handlerTimeout;
        }

        public Duration getDrainTimeout() {
            return drainTimeout;
        }

        public void setDrainTimeout(Duration drainTimeout) {
            this.drainTimeout = drainTimeout;
        }
    }

    public String getService() {
        return service;
    }

    public void setService(String service) {
        this.service = service;
    }

    public List<String> getListensTo() {
        return listensTo;
    }

    public void setListensTo(List<String> listensTo) {
        this.listensTo = listensTo;
    }

    public String getNamespace() {
        return namespace;
    }

    public void setNamespace(String namespace) {
        this.namespace = namespace;
    }

    public String getGroupSecret() {
        return groupSecret;
    }

    public void setGroupSecret(String groupSecret) {
        this.groupSecret = groupSecret;
    }

    public Duration getSendTimeout() {
        return sendTimeout;
    }

    public void setSendTimeout(Duration sendTimeout) {
        this.sendTimeout = sendTimeout;
    }

    public Duration getHeartbeat() {
        return heartbeat;
    }

    public void setHeartbeat(Duration heartbeat) {
        this.heartbeat = heartbeat;
    }

    public Redis getRedis() {
        return redis;
    }

    public Workers getWorkers() {
        return workers;
    }
}
