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

    public ReadOnlyBooleanProperty busyProperty() {
        return busy.getReadOnlyProperty();
    }

    public boolean isBusy() {
        return busy.get();
    }

    /** Starts {@code work} unless another task is running; returns whether it started. */
    public <T> boolean run(Work<T> work, Consumer<T> onSuccess, Consumer<ApiException> onFailure) {
        if (busy.get()) {
            return false;
        }
        busy.set(true);
        background(work, result -> {
            busy.set(false);
            onSuccess.accept(result);
        }, failure -> {
            busy.set(false);
            onFailure.accept(failure);
        });
        return true;
    }

    /** Like {@link #run} but without the busy state: for quiet background work such as the human check. */
    public <T> void background(Work<T> work, Consumer<T> onSuccess, Consumer<ApiException> onFailure) {
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
