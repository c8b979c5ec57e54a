package com.employable.flotilla.localfly.proxy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

/**
 * A client's request body handed to the JDK client chunk by chunk as it arrives, read on the proxy's own thread only
 * when the client asks for more. (The JDK's {@code BodyPublishers.ofInputStream} reads on the client's worker, and a
 * read blocked waiting for the client's next bytes could hold back the write of the bytes it already had.) A second
 * subscription, the JDK client retrying after a failed connect, is served only while no byte has been handed over:
 * a body that went out is never sent twice.
 */
final class RequestBodyPump implements Flow.Publisher<ByteBuffer> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private Flow.Subscriber<? super ByteBuffer> subscriber;
    private long demand;
    private boolean cancelled;
    private boolean started;

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> next) {
        lock.lock();
        try {
            if (started) {
                next.onSubscribe(new Subscription(next));
                next.onError(new IOException("the request body was already sent: it is not sent again"));
                return;
            }
            subscriber = next;
            demand = 0;
            cancelled = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        next.onSubscribe(new Subscription(next));
    }

    /**
     * Reads {@code body} to its end on the calling thread, one chunk per chunk asked for. Returns once it is all
     * handed over, or the subscriber cancelled, or {@code abandoned} says the exchange ended without it.
     */
    void pump(InputStream body, BooleanSupplier abandoned) {
        byte[] buffer = new byte[8192];
        while (true) {
            Flow.Subscriber<? super ByteBuffer> target = awaitDemand(abandoned);
            if (target == null) {
                return;
            }
            int read;
            try {
                read = body.read(buffer);
            } catch (IOException clientGone) {
                target.onError(clientGone);
                return;
            }
            if (read < 0) {
                target.onComplete();
                return;
            }
            target.onNext(ByteBuffer.wrap(Arrays.copyOf(buffer, read)));
        }
    }

    /** The subscriber once it wants a chunk (counted as given), or null when there is nothing more to do. */
    private Flow.Subscriber<? super ByteBuffer> awaitDemand(BooleanSupplier abandoned) {
        lock.lock();
        try {
            while (!cancelled && (subscriber == null || demand == 0)) {
                if (abandoned.getAsBoolean()) {
                    return null;
                }
                changed.await(50, TimeUnit.MILLISECONDS);
            }
            if (cancelled) {
                return null;
            }
            demand--;
            started = true;
            return subscriber;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } finally {
            lock.unlock();
        }
    }

    private final class Subscription implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> owner;

        Subscription(Flow.Subscriber<? super ByteBuffer> owner) {
            this.owner = owner;
        }

        @Override
        public void request(long n) {
            lock.lock();
            try {
                if (owner == subscriber && n > 0) {
                    demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }

        @Override
        public void cancel() {
            lock.lock();
            try {
                if (owner == subscriber) {
                    cancelled = true;
                    changed.signalAll();
                }
            } finally {
                lock.unlock();
            }
        }
    }
}
