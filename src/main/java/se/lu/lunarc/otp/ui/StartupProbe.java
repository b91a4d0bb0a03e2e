package se.lu.lunarc.otp.ui;

import javafx.animation.AnimationTimer;
import javafx.stage.Stage;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --startup-probe}: prints how long the window took to its first frame and what it cost, then closes it.
 * The startup benchmark measures the wizard and a bare JavaFX form with this same probe.
 */
public final class StartupProbe {
    private StartupProbe() {}

    /** Prints the time from JVM start to the second frame drawn with the stage's scene visible, then closes. */
    public static void closeAfterFirstFrame(Stage stage) {
        new AnimationTimer() {
            int frames;

            @Override
            public void handle(long now) {
                if (++frames == 2) {
                    stop();
                    long ms = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();
                    System.out.println("startup-probe: first frame " + ms + " ms after JVM start");
                    Runtime rt = Runtime.getRuntime();
                    System.out.printf("startup-probe: heap used %.1f MiB, resident %s, peak resident %s%n",
                            (rt.totalMemory() - rt.freeMemory()) / 1048576.0, status("VmRSS"), status("VmHWM"));
                    System.out.println("startup-probe: classes loaded "
                            + ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
                    System.out.flush();
                    stage.close();
                }
            }
        }.start();
    }

    /** A line of /proc/self/status on Linux (VmRSS: resident now, VmHWM: its peak); "unknown" elsewhere. */
    static String status(String field) {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(l -> l.startsWith(field + ":")).map(l -> l.substring(field.length() + 1).trim())
                    .findFirst().orElse("unknown");
        } catch (java.io.IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
