package se.lu.lunarc.otp.ui;

import se.lu.lunarc.otp.app.ClientSettings;

import javafx.application.Platform;
import javafx.stage.Stage;

import java.util.concurrent.CountDownLatch;

/** Starts JavaFX, opens the wizard and waits until its window closes. */
public final class WizardLauncher {
    private WizardLauncher() {}

    public static int run(ClientSettings settings, boolean startupProbe) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Platform.setImplicitExit(true);
        Platform.startup(() -> {
            nameTheWindowClass();
            Stage stage = new Stage();
            stage.setOnHiding(e -> closed.countDown());
            new Wizard(settings).show(stage);
            if (startupProbe) {
                StartupProbe.closeAfterFirstFrame(stage);
            }
        });
        closed.await();
        Platform.exit();
        return 0;
    }

    /**
     * A settings file the wizard cannot use: said in a dialog at start (the user started us from a menu and sees
     * no terminal), naming the file, the line and what is wrong, instead of starting with a silent default.
     */
    public static int settingsError(ClientSettings.Invalid problem) throws InterruptedException {
        CountDownLatch closed = new CountDownLatch(1);
        Platform.setImplicitExit(true);
        Platform.startup(() -> {
            nameTheWindowClass();
            java.util.ResourceBundle rb = java.util.ResourceBundle.getBundle("se.lu.lunarc.otp.ui.messages",
                    WizardState.supported(java.util.Locale.getDefault()));
            javafx.scene.control.Alert alert = new javafx.scene.control.Alert(
                    javafx.scene.control.Alert.AlertType.ERROR, problem.getMessage());
            alert.setTitle(rb.getString("app.title"));
            alert.setHeaderText(rb.getString("settings.invalid"));
            alert.setOnHidden(e -> closed.countDown());
            alert.show();
        });
        closed.await();
        Platform.exit();
        return 2;
    }

    /**
     * X11's WM_CLASS of our windows is glass's application name, "java" unless set: the desktop file's
     * StartupWMClass=lunarc-otp ties the window to the menu entry and its icon. Glass has no public API for it.
     */
    private static void nameTheWindowClass() {
        try {
            com.sun.glass.ui.Application.GetApplication().setName("lunarc-otp");
        } catch (RuntimeException | LinkageError e) {
            // the window works without it; only the taskbar grouping is generic
        }
    }

}
