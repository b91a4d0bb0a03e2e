package se.lu.lunarc.otp.server;

import se.lu.lunarc.otp.server.audit.AuditLog;
import se.lu.lunarc.otp.server.store.Database;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Whether this node can serve a login now: its store answers and its audit log takes lines. Asked by
 * {@code /health} (a load balancer) and by RADIUS Status-Server (a proxy), each of which must hear "no" within
 * seconds, while a store that is down can hold a connection attempt for the pool's whole timeout. So the probe
 * runs on a thread of its own, one at a time, and an asker waits for it at most as long as it says.
 */
public final class ServiceHealth implements AutoCloseable {
    private final Database db;
    private final AuditLog audit;
    private final ExecutorService prober = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "health-probe");
        t.setDaemon(true);
        return t;
    });
    /** The probe now running, which every asker shares, so a dead store is never probed by a crowd. */
    private CompletableFuture<Boolean> running;

    public ServiceHealth(Database db, AuditLog audit) {
        this.db = db;
        this.audit = audit;
    }

    /** True when a probe started now (or already running) says the node can serve within {@code wait}. */
    public boolean ready(Duration wait) {
        CompletableFuture<Boolean> probe;
        synchronized (this) {
            if (running == null || running.isDone()) {
                running = CompletableFuture.supplyAsync(this::probe, prober);
            }
            probe = running;
        }
        try {
            return probe.get(wait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private boolean probe() {
        try {
            db.ping();
            audit.requireWritable();
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Override
    public void close() {
        prober.shutdownNow();
    }
}
