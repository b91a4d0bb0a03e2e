package se.lu.lunarc.otp.server;

import se.lu.lunarc.otp.server.http.EnrollmentServer;
import se.lu.lunarc.otp.server.metrics.MetricsServer;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import se.lu.lunarc.otp.server.radius.RadiusService;
import se.lu.lunarc.otp.server.sms.SmsGateway;
import se.lu.lunarc.otp.server.users.UserDirectories;
import se.lu.lunarc.otp.server.users.UserDirectory;

import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

/** {@code lunarc-otp server}: the enrollment backend, for real ({@code --config}) or as a demo. */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the enrollment backend (API v1).",
        subcommands = {HashPasswordCommand.class, se.lu.lunarc.otp.server.store.MigrateStoreCommand.class,
                se.lu.lunarc.otp.server.hardware.TokensCommand.class, se.lu.lunarc.otp.server.admin.AdminCommand.class,
                se.lu.lunarc.otp.server.backup.BackupCommand.class,
                se.lu.lunarc.otp.server.backup.RestoreCommand.class,
                se.lu.lunarc.otp.server.admin.RotateKeyCommand.class})
public final class ServerCommand implements Callable<Integer> {
    @Option(names = "--config", paramLabel = "FILE", description = "Server configuration (YAML).")
    Path config;

    @Option(names = "--demo", description = "Demo backend on loopback with user demo / lunarc-demo; "
            + "SMS go to DIR/sms-outbox.jsonl.")
    boolean demo;

    @Option(names = "--listen", paramLabel = "HOST:PORT", description = "With --demo: where to listen "
            + "(default 127.0.0.1:0, a free port). Loopback only.")
    String listen;

    @Option(names = "--data", paramLabel = "DIR", description = "With --demo: data folder (default: a new temporary folder).")
    Path data;

    @Override
    public Integer call() throws Exception {
        if (demo == (config != null)) {
            System.err.println("Give either --config FILE or --demo (see --help).");
            return 2;
        }
        Clock clock = Clock.systemUTC();
        EnrollmentServer server;
        RadiusService radius = null;
        MetricsServer metrics = null;
        if (demo) {
            server = DemoBackend.start(listen, data, clock);
            System.out.println("Demo backend. Sign in as " + DemoBackend.USERNAME + " / " + DemoBackend.PASSWORD
                    + "; SMS codes go to " + server.backend().config().sms().file());
        } else {
            ServerConfig cfg = ServerConfig.load(config);
            UserDirectory users = UserDirectories.open(cfg.users());
            SmsGateway sms = SmsGateway.of(cfg, clock);
            server = EnrollmentServer.start(new Backend(cfg, users, sms, clock));
            if (cfg.radius() != null) {
                try {
                    radius = RadiusService.start(cfg.radius(), server.backend());
                } catch (Exception e) {
                    server.close();
                    throw e;
                }
                System.out.println("RADIUS on udp " + radius.listening());
            }
            if (cfg.metrics() != null) {
                try {
                    metrics = MetricsServer.start(cfg.metrics(), server.backend().metrics());
                } catch (RuntimeException e) {
                    if (radius != null) {
                        radius.close();
                    }
                    server.close();
                    throw new IllegalStateException("metrics could not listen on " + cfg.metrics().listen()
                            + " (metrics.listen in the configuration): is another program using the port?", e);
                }
                System.out.println("Metrics on http://" + cfg.metrics().host() + ":" + metrics.port() + "/metrics");
            }
        }
        if (!demo) {
            HangupReload.install(config, server.backend(), radius);
        }
        System.out.println("Listening on " + server.baseUri());
        System.out.flush();
        CountDownLatch stopped = new CountDownLatch(1);
        EnrollmentServer running = server;
        RadiusService runningRadius = radius;
        MetricsServer runningMetrics = metrics;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                if (runningMetrics != null) {
                    runningMetrics.close();
                }
                if (runningRadius != null) {
                    runningRadius.close();
                }
                running.close();
            } catch (Exception ignored) {
                // shutting down anyway
            }
            stopped.countDown();
        }));
        stopped.await();
        return 0;
    }
}
