package se.lu.lunarc.otp.ui;

import se.lu.lunarc.otp.app.ClientSettings;

import com.google.zxing.BinaryBitmap;
import com.google.zxing.RGBLuminanceSource;
import com.google.zxing.common.HybridBinarizer;
import com.google.zxing.qrcode.QRCodeReader;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.image.Image;
import javafx.scene.image.PixelReader;
import javafx.stage.Stage;
import org.testfx.api.FxRobot;
import org.testfx.api.FxToolkit;
import org.testfx.util.WaitForAsyncUtils;
import se.lu.lunarc.otp.testing.TestServer;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Drives the real wizard window the way a user does, plus the checks a user makes by looking. */
public class WizardRobot extends FxRobot {
    protected Stage stage;
    protected Wizard wizard;
    /** What the FX thread threw while this test ran: a user would have seen the window misbehave. */
    private final java.util.List<Throwable> fxFailures = new java.util.concurrent.CopyOnWriteArrayList<>();

    public static ClientSettings settingsFor(URI server, Locale locale) {
        return new ClientSettings(server, null, Duration.ofSeconds(3), Duration.ofSeconds(5), "Pocket Pass", null, locale,
                Duration.ofMinutes(5));
    }

    protected void open(ClientSettings settings) throws Exception {
        stage = FxToolkit.registerPrimaryStage();
        interact(() -> Thread.currentThread().setUncaughtExceptionHandler((t, e) -> {
            fxFailures.add(e);
            e.printStackTrace();
        }));
        FxToolkit.setupStage(s -> {
            wizard = new Wizard(settings);
            wizard.show(s);
        });
        interact(() -> stage.requestFocus());
    }

    protected void close() throws Exception {
        FxToolkit.cleanupStages();
    }

    /** Runs after each subclass's own clean-up, so a failure here leaves no server running. */
    @org.junit.jupiter.api.AfterEach
    void noExceptionOnTheFxThread() {
        WaitForAsyncUtils.waitForFxEvents();
        if (!fxFailures.isEmpty()) {
            AssertionError failed = new AssertionError("the FX thread threw " + fxFailures.size() + " exception(s)",
                    fxFailures.get(0));
            fxFailures.clear();
            throw failed;
        }
    }

    protected void waitUntil(String what, BooleanSupplier condition) {
        try {
            // asked on the FX thread: a lookup from another thread while a screen is being replaced can fail
            WaitForAsyncUtils.waitFor(15, TimeUnit.SECONDS, () -> onFx(condition::getAsBoolean));
        } catch (Exception e) {
            try {
                screenshot("failed-wait-" + what.replaceAll("[^A-Za-z0-9]+", "-"));
            } catch (IOException | RuntimeException ignored) {
                // the assertion below says what went wrong
            }
            throw new AssertionError("waited 15 s for: " + what + "; focus on " + stage.getScene().getFocusOwner(), e);
        }
        WaitForAsyncUtils.waitForFxEvents();
    }

    protected boolean showing(String query) {
        return lookup(query).tryQuery().map(Node::isVisible).orElse(false);
    }

    /** Screens move focus once shown; typing before that would go astray. */
    protected void waitForFocus(String query) {
        waitUntil("focus in " + query, () -> lookup(query).tryQuery().map(Node::isFocused).orElse(false));
    }

    protected void waitFor(String query) {
        waitUntil(query + " to show", () -> showing(query));
    }

    protected String text(String query) {
        Node n = lookup(query).query();
        if (n instanceof Labeled l) {
            // what the user sees: a mnemonic's underscore is not shown
            return l.isMnemonicParsing() ? l.getText().replaceFirst("_", "") : l.getText();
        }
        return ((javafx.scene.control.TextInputControl) n).getText();
    }

    protected String bannerText() {
        return lookup(".banner").queryAll().stream().filter(Node::isVisible)
                .map(b -> ((se.lu.lunarc.otp.ui.common.Banner) b).text()).findFirst().orElse("");
    }

    protected void waitForBanner(String contains) {
        waitUntil("a banner saying " + contains, () -> bannerText().contains(contains));
    }

    /** Signs in through both steps by typing, as a user would. */
    protected void signIn(TestServer server, String user) {
        toTheCodeScreen(user, user + TestServer.PASSWORD_SUFFIX);
        String code = smsCode(server, user);
        clickOn("#code").write(code);
        waitFor("#tabs");
    }

    /** Types a username and password and ticks "I am a human"; returns once Proceed may be pressed. */
    protected void typeCredentials(String user, String password) {
        clickOn("#username").write(user);
        clickOn("#password").write(password);
        if (!lookup("#human").queryAs(javafx.scene.control.CheckBox.class).isSelected()) {
            clickOn("#human");
        }
        waitUntil("Proceed to be enabled", () -> !lookup("#proceed").query().isDisabled());
    }

    /** Signs in with a password and waits for the SMS code screen. */
    protected void toTheCodeScreen(String user, String password) {
        typeCredentials(user, password);
        clickOn("#proceed");
        waitFor("#sentTo");
    }

    protected static String smsCode(TestServer server, String user) {
        try {
            return server.lastSmsCode(user);
        } catch (IOException e) {
            throw new AssertionError(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Reads the QR code back from the pixels on screen, with zxing. */
    protected String decodeQrFromScreen() throws Exception {
        Node qr = lookup("#qr").query();
        Bounds b = qr.localToScreen(qr.getBoundsInLocal());
        Image img = capture(new javafx.geometry.Rectangle2D(b.getMinX(), b.getMinY(), b.getWidth(), b.getHeight())).getImage();
        int w = (int) img.getWidth();
        int h = (int) img.getHeight();
        int[] argb = new int[w * h];
        PixelReader r = img.getPixelReader();
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                argb[y * w + x] = r.getArgb(x, y);
            }
        }
        return new QRCodeReader().decode(new BinaryBitmap(new HybridBinarizer(new RGBLuminanceSource(w, h, argb))))
                .getText();
    }

    /** A PNG of the whole window, for docs/screenshots (written under target/screenshots unless told). */
    protected void screenshot(String name) throws IOException {
        WaitForAsyncUtils.waitForFxEvents();
        Node root = stage.getScene().getRoot();
        Bounds b = root.localToScreen(root.getBoundsInLocal());
        Image img = capture(new javafx.geometry.Rectangle2D(b.getMinX(), b.getMinY(), b.getWidth(), b.getHeight())).getImage();
        BufferedImage out = new BufferedImage((int) img.getWidth(), (int) img.getHeight(), BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < out.getHeight(); y++) {
            for (int x = 0; x < out.getWidth(); x++) {
                out.setRGB(x, y, img.getPixelReader().getArgb(x, y));
            }
        }
        Path dir = Path.of(System.getProperty("screenshots.dir", "target/screenshots"));
        Files.createDirectories(dir);
        ImageIO.write(out, "png", dir.resolve(name + ".png").toFile());
    }

    protected Label label(String query) {
        return lookup(query).queryAs(Label.class);
    }

    /** {@code c} run on the FX thread, its value handed back. */
    protected <T> T onFx(java.util.concurrent.Callable<T> c) {
        java.util.concurrent.atomic.AtomicReference<T> ref = new java.util.concurrent.atomic.AtomicReference<>();
        interact(() -> {
            try {
                ref.set(c.call());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        return ref.get();
    }

    /** From the account view: the Tokens tab, "Activate …", and {@code name} typed on the Name screen. */
    protected void nameANewToken(String name) {
        interact(() -> lookup("#tabs").queryAs(javafx.scene.control.TabPane.class).getSelectionModel().select(1));
        clickOn("#activateNew");
        waitFor("#name");
        clickOn("#name").write(name);
    }

    /** Focusable controls without a name a screen reader can say. */
    protected List<String> unnamedControls() {
        List<String> missing = new ArrayList<>();
        collect(stage.getScene().getRoot(), missing);
        return missing;
    }

    private void collect(Node n, List<String> missing) {
        if (n instanceof Control c && c.isVisible() && c.isFocusTraversable() && !(c instanceof javafx.scene.control.ScrollPane)) {
            boolean named = c.getAccessibleText() != null && !c.getAccessibleText().isBlank()
                    || c instanceof Labeled l && l.getText() != null && !l.getText().isBlank();
            if (!named) {
                missing.add(c.getClass().getSimpleName() + (c.getId() == null ? "" : "#" + c.getId()));
            }
        }
        if (n instanceof Parent p) {
            p.getChildrenUnmodifiable().forEach(child -> collect(child, missing));
        }
    }
}
