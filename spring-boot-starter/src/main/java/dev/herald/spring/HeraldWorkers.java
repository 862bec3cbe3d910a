package dev.herald.spring;

import dev.herald.runtime.EventContext;
import dev.herald.runtime.EventHandler;
import dev.herald.runtime.HeraldEvent;
import dev.herald.runtime.Messenger;
import dev.herald.runtime.Worker;
import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.SmartLifecycle;

import java.lang.reflect.InvocationTargetException;
import java.util.List;

/**
 * The worker of the {@link HeraldListener} methods, in step with the context: started (and the
 * instance registered) when the context starts, before the application reports itself ready;
 * stopped first on shutdown, waiting for running handlers (herald.workers.drain-timeout).
 */
public class HeraldWorkers implements SmartLifecycle {

    private final Messenger messenger;
    private final HeraldProperties properties;
    private final List<ListenerMethods.Listener> listeners;
    private final BeanFactory beans;
    private volatile Worker worker;
    private volatile boolean running;

    HeraldWorkers(Messenger messenger, HeraldProperties properties, List<ListenerMethods.Listener> listeners, BeanFactory beans) {
        this.messenger = messenger;
        this.properties = properties;
        this.listeners = listeners;
        this.beans = beans;
    }

    @Override
    public void start() {
        if (!listeners.isEmpty()) {
            Worker.Builder b = messenger.worker();
            HeraldProperties.Workers w = properties.getWorkers();
            if (w.getConcurrency() != null) {
                b.concurrency(w.getConcurrency());
            }
            if (w.getMaxAttempts() != null) {
                b.maxAttempts(w.getMaxAttempts());
            }
            if (w.getBackoffInitial() != null || w.getBackoffMax() != null) {
                b.backoff(w.getBackoffInitial(), w.getBackoffMax()); // an unset one keeps the Worker's default
            }
            if (w.getVisibilityTimeout() != null) {
                b.visibilityTimeout(w.getVisibilityTimeout());
            }
            if (w.getMaxDeliveries() != null) {
                b.maxDeliveries(w.getMaxDeliveries());
            }
            if (w.getResultRetention() != null) {
                b.resultRetention(w.getResultRetention());
            }
            if (w.getHandlerTimeout() != null) {
                b.handlerTimeout(w.getHandlerTimeout());
            }
            if (w.getValidateOnReceipt() != null) {
                b.validateOnReceipt(w.getValidateOnReceipt());
            }
            if (w.getInlineBelow() != null) {
                b.inlineBelow(w.getInlineBelow());
            }
            for (ListenerMethods.Listener l : listeners) {
                Object bean = beans.getBean(l.beanName());
                if (l.eventType() == null) {
                    b.onAny((env, ctx) -> invoke(l, bean, env, ctx));
                } else {
                    bind(b, l, bean);
                }
            }
            worker = b.start();
        }
        messenger.register().join();
        running = true;
    }

    @SuppressWarnings("unchecked")
    private static <T extends HeraldEvent> void bind(Worker.Builder b, ListenerMethods.Listener l, Object bean) {
        b.on((Class<T>) l.eventClass(), (EventHandler<T>) (event, ctx) -> invoke(l, bean, event, ctx));
    }

    private static Object invoke(ListenerMethods.Listener l, Object bean, Object event, EventContext ctx) throws Exception {
        try {
            return l.method().getParameterCount() == 2 ? l.method().invoke(bean, event, ctx) : l.method().invoke(bean, event);
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw (Error) cause;
        }
    }

    @Override
    public void stop() {
        Worker w = worker;
        worker = null;
        running = false;
        if (w != null) {
            w.close(properties.getWorkers().getDrainTimeout());
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    /** The worker, or null before start, after stop, or without listener methods. */
    public Worker worker() {
        return worker;
    }
}
