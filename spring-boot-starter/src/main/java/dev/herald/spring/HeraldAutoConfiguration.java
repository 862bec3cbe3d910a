package dev.herald.spring;

import dev.herald.runtime.BusMetrics;
import dev.herald.runtime.BusTracing;
import dev.herald.runtime.Catalog;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.RedisConnection;
import dev.herald.schema.EventPattern;
import org.redisson.api.RedissonClient;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A service on Herald from {@code herald.*}: the Redis client (unless the application has its own
 * {@code RedissonClient}), the {@link Messenger}, and one worker fed by every {@link HeraldListener}
 * method ({@link HeraldWorkers}); with Actuator's health a {@code herald} health indicator, with a
 * Micrometer registry the bus's meters in it, with an OpenTelemetry bean the sends and handlers in
 * its traces. Everything is checked at start: a mistake stops the context with the property or the
 * method it concerns.
 */
@AutoConfiguration(afterName = {
        "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration",
        "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration"})
@ConditionalOnProperty(prefix = "herald", name = "service")
@EnableConfigurationProperties(HeraldProperties.class)
public class HeraldAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    Catalog heraldCatalog() {
        return Catalog.fromClasspath();
    }

    @Bean(destroyMethod = "shutdown")
    @ConditionalOnMissingBean
    RedissonClient heraldRedisson(HeraldProperties properties) {
        return connection(properties).connect();
    }

    static RedisConnection connection(HeraldProperties p) {
        HeraldProperties.Redis r = p.getRedis();
        int given = (blank(r.getUrl()) ? 0 : 1) + (blank(r.getCluster()) ? 0 : 1) + (blank(r.getConfig()) ? 0 : 1);
        if (given > 1) {
            throw new HeraldConfigurationException("give one of herald.redis.url, herald.redis.cluster and herald.redis.config, not " + given);
        }
        RedisConnection c = !blank(r.getCluster()) ? RedisConnection.cluster(r.getCluster())
                : !blank(r.getConfig()) ? RedisConnection.redissonConfig(Path.of(r.getConfig()))
                : RedisConnection.url(blank(r.getUrl()) ? "redis://127.0.0.1:6379" : r.getUrl());
        return c.withCredentialsFrom(System.getenv());
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    @Bean
    static HeraldListenerScan heraldListenerScan() {
        return new HeraldListenerScan();
    }

    @Bean(destroyMethod = "close")
    Messenger heraldMessenger(HeraldProperties p, RedissonClient redisson, Catalog catalog, HeraldListenerScan scan,
                              ObjectProvider<BusMetrics> metrics, ObjectProvider<BusTracing> tracing) {
        if (!catalog.services().contains(p.getService())) {
            throw new HeraldConfigurationException("herald.service: '" + p.getService() + "' is not a service of the catalog on the class path"
                    + " (known: " + String.join(", ", catalog.services()) + "); declare it in registry.json or fix the name");
        }
        List<ListenerMethods.Listener> listeners = scan.listeners(catalog);
        Set<String> listensTo = new LinkedHashSet<>();
        if (p.getListensTo().isEmpty()) {
            listeners.stream().filter(l -> l.eventType() != null).forEach(l -> listensTo.add(l.eventType()));
        } else {
            for (String pattern : p.getListensTo()) {
                String t = pattern.trim();
                try {
                    EventPattern.check(t);
                } catch (RuntimeException e) {
                    throw new HeraldConfigurationException("herald.listens-to: '" + t + "' is not an event name or pattern: " + e.getMessage());
                }
                if (catalog.events().stream().noneMatch(e -> EventPattern.matches(t, e.name()))) {
                    throw new HeraldConfigurationException("herald.listens-to: '" + t + "' matches no event of the catalog (events: "
                            + String.join(", ", catalog.events().stream().map(Catalog.EventInfo::name).toList()) + ")");
                }
                listensTo.add(t);
            }
            for (ListenerMethods.Listener l : listeners) {
                if (l.eventType() != null && listensTo.stream().noneMatch(t -> EventPattern.matches(t, l.eventType()))) {
                    throw new HeraldConfigurationException(l.describe() + " handles " + l.eventType() + ", which herald.listens-to ("
                            + String.join(",", listensTo) + ") does not include: add it, or remove the method");
                }
            }
        }
        Messenger.Builder b = Messenger.builder().redisson(redisson).catalog(catalog).service(p.getService())
                .listensTo(listensTo.toArray(new String[0])).enableWorkers(p.getWorkers().isEnabled())
                .metrics(metrics.getIfAvailable(() -> BusMetrics.NONE));
        BusTracing t = tracing.getIfAvailable();
        if (t != null) {
            b.tracing(t);
        }
        if (p.getNamespace() != null) {
            b.namespace(p.getNamespace());
        }
        if (p.getGroupSecret() != null) {
            b.groupSecret(p.getGroupSecret());
        }
        if (p.getSendTimeout() != null) {
            b.sendTimeout(p.getSendTimeout());
        }
        if (p.getHeartbeat() != null) {
            b.heartbeat(p.getHeartbeat());
        }
        return b.build();
    }

    @Bean
    HeraldWorkers heraldWorkers(Messenger messenger, HeraldProperties p, Catalog catalog, HeraldListenerScan scan, BeanFactory beans) {
        return new HeraldWorkers(messenger, p, scan.listeners(catalog), beans);
    }

    /** Finds the listener methods once, from the bean factory (before the beans exist). */
    static final class HeraldListenerScan implements org.springframework.beans.factory.BeanFactoryAware {
        private ConfigurableListableBeanFactory beans;
        private List<ListenerMethods.Listener> found;

        @Override
        public void setBeanFactory(BeanFactory f) {
            this.beans = (ConfigurableListableBeanFactory) f;
        }

        synchronized List<ListenerMethods.Listener> listeners(Catalog catalog) {
            if (found == null) {
                found = new ArrayList<>(ListenerMethods.scan(beans, catalog));
            }
            return found;
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.micrometer.core.instrument.MeterRegistry")
    static class Metrics {
        @Bean
        @ConditionalOnMissingBean(BusMetrics.class)
        BusMetrics heraldMetrics(ObjectProvider<io.micrometer.core.instrument.MeterRegistry> registry) {
            io.micrometer.core.instrument.MeterRegistry r = registry.getIfAvailable();
            return r == null ? BusMetrics.NONE : new dev.herald.runtime.micrometer.MicrometerMetrics(r);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "io.opentelemetry.api.OpenTelemetry")
    static class Tracing {
        @Bean
        @ConditionalOnMissingBean(BusTracing.class)
        BusTracing heraldTracing(ObjectProvider<io.opentelemetry.api.OpenTelemetry> otel) {
            io.opentelemetry.api.OpenTelemetry o = otel.getIfAvailable();
            return o == null ? BusTracing.detect() : new dev.herald.runtime.otel.OpenTelemetryTracing(o);
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
    static class Health {
        @Bean
        @ConditionalOnMissingBean(name = "heraldHealthIndicator")
        HeraldHealthIndicator heraldHealthIndicator(Messenger messenger, HeraldWorkers workers) {
            return new HeraldHealthIndicator(messenger, workers);
        }
    }
}
