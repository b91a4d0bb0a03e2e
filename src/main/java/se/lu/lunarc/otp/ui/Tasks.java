package se.lu.lunarc.otp.ui;

import javafx.application.Platform;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import se.lu.lunarc.otp.client.ApiException;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Runs network work on one background thread and hands the result back on the FX thread. While a task runs,
 * {@link #busyProperty()} is true: screens show a spinner and disable their actions, so nothing is sent twice.
 * A request belongs to the screen that started it: once that screen is left ({@link #leaveScreen()}), its answer
 * is not handed to the screen's callbacks but to its {@code abandoned} handler, which undoes what the server did
 * for nobody (a token created for a screen the user cancelled).
 */
public final class Tasks {
    public interface Work<T> {
        T call() throws Exception;
    }

    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "lunarc-otp-network");
        t.setDaemon(true);
        return t;
    });
    private final ReadOnlyBooleanWrapper busy = new ReadOnlyBooleanWrapper(false);
    /** Which screen is showing; a request started on an earlier one is stale. Touched on the FX thread only. */
    private long screen;

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public boolean isBusy() {
        return busy.get();
    }

    /** The screen changes: requests in flight no longer belong to what is shown, and actions are free again. */
    public void leaveScreen() {
        screen++;
        busy.set(false);
    }

    /** Starts {@code work} unless another task is running; returns whether it started. */
    public <T> boolean run(Work<T> work, Consumer<T> onSuccess, Consumer<ApiException> onFailure) {
        return run(work, onSuccess, onFailure, abandoned -> { });
    }

    /** Like {@link #run}; a result that arrives after its screen was left goes to {@code abandoned}. */
    public <T> boolean run(Work<T> work, Consumer<T> onSuccess, Consumer<ApiException> onFailure,
                           Consumer<T> abandoned) {
        if (busy.get()) {
            return false;
        }
        busy.set(true);
        long owner = screen;
        submit(work, result -> {
            if (owner != screen) {
                abandoned.accept(result);
                return;
            }
            busy.set(false);
            onSuccess.accept(result);
        }, failure -> {
            if (owner == screen) {
                busy.set(false);
                onFailure.accept(failure);
            }
        });
        return true;
    }

    /**
     * Like {@link #run} but without the busy state: for quiet background work such as the human check. Its
     * answer, too, reaches only the screen that asked.
     */
    public <T> void background(Work<T> work, Consumer<T> onSuccess, Consumer<ApiException> onFailure) {
        long owner = screen;
        submit(work, result -> {
            if (owner == screen) {
                onSuccess.accept(result);
            }
        }, failure -> {
            if (owner == screen) {
                onFailure.accept(failure);
            }
        });
    }

    /** Work that belongs to no screen: its outcome matters to nobody on screen (cleaning up, logging out). */
    public void detached(Work<?> work) {
        submit(work, r -> { }, f -> { });
    }

    private <T> void submit(Work<T> work, Consumer<T> onSuccess, Consumer<ApiException> onFailure) {
        if (executor.isShutdown()) {
            return; // the window has closed
        }
        executor.execute(() -> {
            try {
                T result = work.call();
                Platform.runLater(() -> onSuccess.accept(result));
            } catch (ApiException e) {
                Platform.runLater(() -> onFailure.accept(e));
            } catch (Exception | Error e) {
                ApiException unexpected = ApiException.internal(e);
                Platform.runLater(() -> onFailure.accept(unexpected));
            }
        });
    }

    public void shutdown() {
        executor.shutdownNow();
    }
}
