package dev.sequor.core;

import dev.sequor.spi.Buffer;

/**
 * A backend buffer shared by a tensor and its views (reshape shares storage). Reference counted:
 * the buffer is freed when the last tensor using it is closed.
 */
final class Storage {
    final Buffer buffer;
    private int refs = 1;

    Storage(Buffer buffer) {
        this.buffer = buffer;
    }

    synchronized void retain() {
        if (refs <= 0) {
            throw new IllegalStateException("storage already freed");
        }
        refs++;
    }

    synchronized void release() {
        if (refs > 0 && --refs == 0) {
            buffer.close();
        }
    }
}
