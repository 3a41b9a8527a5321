package dev.sequor.train;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Background prefetch, so that batching overlaps compute: a daemon thread iterates the source and
 * keeps up to {@code depth} batches ready in a queue; the consumer takes them in the source's order.
 * An exception in the producer is rethrown by the consumer's {@code next()}.
 *
 * <p>Tensors the producer creates are made outside any scope (scopes belong to a thread) and are
 * reclaimed when unreachable; producing host arrays there and tensors in the step avoids even that.
 */
public final class Prefetch {

    private static final Object END = new Object();

    private Prefetch() {
    }

    /** @return the source's epochs, each prefetched {@code depth} batches ahead */
    public static <B> EpochSource<B> of(EpochSource<B> source, int depth) {
        if (depth < 1) {
            throw new IllegalArgumentException("Prefetch: depth must be >= 1, got " + depth);
        }
        return epoch -> () -> iterator(source.epoch(epoch), depth);
    }

    private record Failure(RuntimeException error) {
    }

    private static <B> Iterator<B> iterator(Iterable<B> source, int depth) {
        BlockingQueue<Object> queue = new ArrayBlockingQueue<>(depth);
        Thread producer = Thread.ofPlatform().daemon().name("sequor-prefetch").start(() -> {
            try {
                for (B b : source) {
                    queue.put(b);
                }
                queue.put(END);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException e) {
                try {
                    queue.put(new Failure(e));
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        return new Iterator<>() {
            private Object head;

            @Override
            public boolean hasNext() {
                if (head == null) {
                    try {
                        head = queue.take();
                    } catch (InterruptedException e) {
                        producer.interrupt();
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("Prefetch: interrupted while waiting for a batch", e);
                    }
                }
                if (head instanceof Failure f) {
                    throw new IllegalStateException("Prefetch: the batch producer failed: " + f.error().getMessage(),
                            f.error());
                }
                return head != END;
            }

            @Override
            @SuppressWarnings("unchecked")
            public B next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                B b = (B) head;
                head = null;
                return b;
            }
        };
    }
}
