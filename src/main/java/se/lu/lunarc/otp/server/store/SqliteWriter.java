package se.lu.lunarc.otp.server.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * SQLite's one writer, with group commit. Callers queue their work first come, first served; one thread takes
 * what is waiting (up to {@value #MOST} pieces), runs each in a savepoint of one transaction (a piece that throws
 * is rolled back alone and fails alone), commits once, and only then answers each caller. Every answer is
 * durable before it is given (the commit, and with {@code synchronous=FULL} its fsync, comes first), and one
 * commit serves many callers: under load the store commits batches instead of taking turns, and nobody waits
 * behind a caller who came later.
 */
final class SqliteWriter implements AutoCloseable {
    /** The most pieces of work in one commit: a bound on how long the first of them waits for the last. */
    static final int MOST = 64;

    private final Connection connection;
    private final LinkedBlockingQueue<Job<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    /** One caller's work and, once committed or failed, its outcome. */
    private static final class Job<T> {
        final Database.Work<T> work;
        final CountDownLatch done = new CountDownLatch(1);
        T result;
        Throwable failure;

        Job(Database.Work<T> work) {
            this.work = work;
        }

        void run(Connection c) throws SQLException {
            result = work.run(c);
        }
    }

    /** A job that is not work: the signal to stop, queued behind everything already waiting. */
    private static final Job<Void> STOP = new Job<>(c -> null);

    SqliteWriter(Connection connection, String name) throws SQLException {
        this.connection = connection;
        this.thread = new Thread(this::loop, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Runs {@code work} in the writer's next commit and returns once that commit is on disk. */
    <T> T run(Database.Work<T> work) throws SQLException {
        if (Thread.currentThread() == thread) {
            return work.run(connection); // work within work: part of the same piece, as it was with one lock
        }
        Job<T> job = new Job<>(work);
        synchronized (queue) { // never behind the stop signal
            if (closed) {
                throw new SQLException("the store is closed");
            }
            queue.add(job);
        }
        boolean interrupted = false;
        while (true) {
            try {
                job.done.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // queued work cannot be taken back: wait for its outcome, then say so
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        if (job.failure instanceof SQLException e) {
            throw e;
        }
        if (job.failure instanceof RuntimeException e) {
            throw e;
        }
        if (job.failure instanceof Error e) {
            throw e;
        }
        return job.result;
    }

    private void loop() {
        List<Job<?>> batch = new ArrayList<>(MOST);
        while (true) {
            batch.clear();
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MOST - 1);
            boolean stop = batch.remove(STOP);
            commit(batch);
            if (stop) {
                failAll("the store is closed");
                return;
            }
        }
    }

    /**
     * Runs each job in a savepoint, commits once, then answers them all. Between batches the connection is in
     * autocommit, holding no lock: an administrator's command writing to the same file is not kept waiting.
     */
    private void commit(List<Job<?>> batch) {
        List<Job<?>> ran = new ArrayList<>(batch.size());
        try {
            connection.setAutoCommit(false);
        } catch (SQLException e) {
            for (Job<?> job : batch) {
                job.failure = e;
                job.done.countDown();
            }
            return;
        }
        for (Job<?> job : batch) {
            Savepoint piece = null;
            try {
                piece = connection.setSavepoint();
                job.run(connection);
                connection.releaseSavepoint(piece);
                ran.add(job);
            } catch (Throwable t) {
                job.failure = t;
                try {
                    if (piece != null) {
                        connection.rollback(piece);
                        connection.releaseSavepoint(piece);
                    }
                } catch (SQLException e) {
                    // the transaction itself is gone: the commit below fails, and with it the rest
                }
            }
        }
        try {
            connection.commit();
        } catch (SQLException e) {
            try {
                connection.rollback();
            } catch (SQLException ignored) {
                // the failure to commit is what the callers are told
            }
            for (Job<?> job : ran) {
                job.failure = e;
            }
        } finally {
            try {
                connection.setAutoCommit(true);
            } catch (SQLException e) {
                // the next batch's setAutoCommit(false) fails too, and says so to its callers
            }
        }
        for (Job<?> job : batch) {
            job.done.countDown();
        }
    }

    private void failAll(String why) {
        List<Job<?>> left = new ArrayList<>();
        queue.drainTo(left);
        for (Job<?> job : left) {
            job.failure = new SQLException(why);
            job.done.countDown();
        }
    }

    /** Commits what is queued, then stops; later work is refused. */
    @Override
    public void close() {
        synchronized (queue) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        try {
            thread.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
