package io.parley.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Overload on demand: a JVM of its own whose threads spin for as long as the steady phase lasts,
 * taking that many cores from Parley, its upstream and the load. Nothing when asked for none.
 */
final class CpuHog implements AutoCloseable {

    private final ServerProcess process;

    private CpuHog(ServerProcess process) {
        this.process = process;
    }

    static CpuHog start(int threads, Path log) throws IOException {
        return new CpuHog(threads <= 0 ? null : ServerProcess.start("64m", "hog", List.of("threads=" + threads), log));
    }

    @Override
    public void close() throws Exception {
        if (process != null) {
            process.close();
        }
    }
}
