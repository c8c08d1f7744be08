package io.gatehouse.database;

import io.zonky.test.db.postgres.util.LinuxUtils;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The postmaster of an embedded data directory, found by its {@code postmaster.pid}. pg_ctl starts the server
 * as a daemon, so it outlives a Java process killed with SIGKILL (the OOM killer), keeps the lock file, and the
 * next start on that directory would fail with {@code lock file "postmaster.pid" already exists}. Such a server
 * is recognised (the pid is alive, is a {@code postgres}, and serves this directory) and stopped cleanly first.
 */
public final class LeftoverPostgres {
    private static final Logger LOG = Logger.getLogger(LeftoverPostgres.class);
    private static final long STOP_SECONDS = 60;

    private LeftoverPostgres() {
    }

    /** The pid of the PostgreSQL serving {@code dataDir} now, or -1. */
    public static long pidOf(Path dataDir) {
        return postmaster(dataDir).map(ProcessHandle::pid).orElse(-1L);
    }

    static Optional<ProcessHandle> postmaster(Path dataDir) {
        List<String> lines;
        try {
            lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
        } catch (IOException e) {
            return Optional.empty();
        }
        if (lines.size() < 2) {
            return Optional.empty();
        }
        long pid;
        try {
            pid = Long.parseLong(lines.get(0).strip());
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid).filter(LeftoverPostgres::running)
                .filter(p -> servesDirectory(p, dataDir, lines.get(1)));
    }

    /** Alive and not a zombie (an unreaped dead server still answers kill -0). */
    private static boolean running(ProcessHandle p) {
        if (!p.isAlive()) {
            return false;
        }
        Path stat = Path.of("/proc", String.valueOf(p.pid()), "stat");
        try {
            String s = Files.readString(stat);
            int end = s.lastIndexOf(')');
            return end < 0 || end + 2 >= s.length() || s.charAt(end + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return true; // no /proc (macOS): isAlive is all there is
        }
    }

    /** Is {@code p} a postgres for {@code dataDir}, not another program that got the pid after a reboot? */
    private static boolean servesDirectory(ProcessHandle p, Path dataDir, String pidFileDir) {
        ProcessHandle.Info info = p.info();
        Optional<String> command = info.command();
        if (command.isPresent() && !Path.of(command.get()).getFileName().toString().startsWith("postgres")) {
            return false;
        }
        Optional<String[]> args = info.arguments();
        if (args.isPresent()) {
            String[] a = args.get();
            for (int i = 0; i + 1 < a.length; i++) {
                if (a[i].equals("-D")) {
                    return same(Path.of(a[i + 1]), dataDir);
                }
            }
        }
        return same(Path.of(pidFileDir.strip()), dataDir);
    }

    private static boolean same(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (IOException e) {
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }
    }

    /** The directory of the server's binaries (pg_ctl beside postgres), when the process tells its command. */
    static Optional<Path> binDir(ProcessHandle p) {
        return p.info().command().map(c -> Path.of(c).getParent());
    }

    /**
     * Stops a server left running on {@code dataDir} (fast shutdown: sessions are ended, committed data is kept),
     * logging one line; does nothing when none runs. A {@code postmaster.pid} naming a process that is not such a
     * server is stale and removed, since PostgreSQL would refuse to start while that pid lives.
     */
    public static void stopIfRunning(Path dataDir) {
        Optional<ProcessHandle> found = postmaster(dataDir);
        if (found.isEmpty()) {
            removeStalePidFile(dataDir);
            return;
        }
        ProcessHandle server = found.get();
        long started = System.nanoTime();
        boolean stopped = binDir(server).map(bin -> pgCtlStop(bin, dataDir)).orElse(false) || signalStop(server);
        try {
            server.onExit().get(STOP_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            stopped = false;
        }
        if (!stopped || server.isAlive()) {
            throw new IllegalStateException("a PostgreSQL (pid " + server.pid() + ") left running on " + dataDir
                    + " by an earlier Gatehouse did not stop within " + STOP_SECONDS + " s; stop it (kill " + server.pid()
                    + ") and start Gatehouse again");
        }
        LOG.warnf("Stopped a PostgreSQL (pid %d) that an earlier Gatehouse left running on %s (that process was killed "
                        + "without shutting down) in %d ms; starting a new server on the same data", server.pid(), dataDir,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    private static void removeStalePidFile(Path dataDir) {
        Path pidFile = dataDir.resolve("postmaster.pid");
        try {
            List<String> lines = Files.readAllLines(pidFile);
            long pid = Long.parseLong(lines.get(0).strip());
            if (ProcessHandle.of(pid).map(LeftoverPostgres::running).orElse(false)) {
                Files.deleteIfExists(pidFile);
                LOG.warnf("Removed a stale %s: its pid %d now belongs to another program", pidFile, pid);
            }
        } catch (IOException | RuntimeException e) {
            // No pid file, or one PostgreSQL itself recognises as stale (its pid is gone).
        }
    }

    /** {@code pg_ctl stop -m fast}: SIGINT, sessions rolled back, a checkpoint, the pid file removed. */
    static boolean pgCtlStop(Path bin, Path dataDir) {
        Path pgCtl = bin.resolve("pg_ctl");
        if (!Files.isExecutable(pgCtl)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(pgCtl(bin, "-D", dataDir.toString(), "stop", "-m", "fast", "-w",
                    "-t", String.valueOf(STOP_SECONDS))).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            return p.waitFor(STOP_SECONDS + 10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A pg_ctl command line. pg_ctl refuses to run as root; as root on Linux zonky runs its binaries in a user
     * namespace of their own ({@code unshare -U}, where the process is unprivileged), and so must we.
     */
    static List<String> pgCtl(Path bin, String... args) {
        List<String> command = new ArrayList<>();
        if (LinuxUtils.isUnshareAvailable()) {
            command.addAll(List.of("unshare", "-U"));
        }
        command.add(bin.resolve("pg_ctl").toString());
        command.addAll(List.of(args));
        return command;
    }

    /** Without pg_ctl (its binaries deleted from the temp directory): SIGTERM, a smart shutdown; the killed
     * process's sessions are already closed, so it does not wait on them. */
    private static boolean signalStop(ProcessHandle server) {
        return server.destroy();
    }
}
