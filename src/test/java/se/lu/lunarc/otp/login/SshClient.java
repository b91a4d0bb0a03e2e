package se.lu.lunarc.otp.login;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The OpenSSH client on a pty, scripted with expect: it waits for each prompt and types the answer, as a user
 * would. The transcript is everything the terminal showed, so a typed answer that shows in it was echoed.
 */
final class SshClient {
    /** A prompt (a Tcl regular expression) and what to type there (a Tcl word: {@code {123456}} or a command). */
    record Step(String prompt, String answer) {
        static Step type(String prompt, String text) {
            return new Step(prompt, "{" + text + "}");
        }
    }

    record Session(String transcript, int exitCode) {
        boolean loggedIn(String user) {
            return transcript.contains("LOGGED-IN-AS-" + user);
        }
    }

    static final String MARKER = "LOGGED-IN-AS-";

    /**
     * Logs {@code user} in to {@code port} and runs {@code id -un}. {@code smsOutbox} lets an answer be
     * {@code [sms_code]}: the newest code in the outbox, read when its prompt shows.
     */
    static Session login(Path dir, int port, String user, Path smsOutbox, Step... steps)
            throws IOException, InterruptedException {
        List<String> script = new ArrayList<>();
        script.add("set timeout 15");
        script.add("proc sms_code {} {");
        // the server sends SMS off the thread that answered the NAS: the line may land a moment after the prompt
        script.add("  for {set i 0} {$i < 50 && !([file exists {" + smsOutbox + "}] && [file size {" + smsOutbox
                + "}] > 0)} {incr i} { after 100 }");
        script.add("  set f [open {" + smsOutbox + "}]; set lines [split [string trim [read $f]] \"\\n\"]; close $f");
        script.add("  regexp {\\m(\\d{6})\\M} [lindex $lines end] -> code; return $code");
        script.add("}");
        script.add("spawn ssh -F /dev/null -p " + port + " -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null"
                + " -o PreferredAuthentications=keyboard-interactive -o PubkeyAuthentication=no"
                + " -o NumberOfPasswordPrompts=1 -o LogLevel=ERROR " + user + "@127.0.0.1"
                + " echo " + MARKER + "`id -un`");
        for (Step s : steps) {
            script.add("expect {");
            script.add("  -re {" + s.prompt() + "} { send -- \"[set _ " + s.answer() + "]\\r\" }");
            script.add("  timeout { puts \"\\nEXPECT: no prompt matching " + s.prompt().replace("\"", "'")
                    + "\"; exit 98 }");
            script.add("  eof { puts \"\\nEXPECT: closed before prompt\"; exit 97 }");
            script.add("}");
        }
        script.add("expect eof");
        script.add("catch wait result");
        script.add("exit [lindex $result 3]");
        Path file = Files.createTempFile(dir, "ssh-", ".exp");
        Files.write(file, script);
        ProcessBuilder expect = new ProcessBuilder("expect", "-f", file.toString()).redirectErrorStream(true);
        // a terminal in the C locale, as on many login nodes: ssh shows what is not ASCII as octal escapes there
        expect.environment().put("LC_ALL", "C");
        expect.environment().put("LANG", "C");
        Process p = expect.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("expect did not finish: " + out);
        }
        return new Session(out, p.exitValue());
    }
}
