package se.lu.lunarc.otp.app;

import se.lu.lunarc.otp.api.ErrorCode;
import se.lu.lunarc.otp.api.SessionInfo;
import se.lu.lunarc.otp.client.ApiException;
import se.lu.lunarc.otp.client.EnrollmentClient;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** The user's signed-in sessions as both clients show them (ASVS 3.3.3): this one first, and ending the others. */
public final class SignedInSessions {
    private SignedInSessions() {
    }

    /** What ending the other sessions did: how many it ended, and the sessions as they are now. */
    public record EndedOthers(int ended, List<SessionInfo> sessions) {}

    /** This session first, then the others oldest first. */
    static List<SessionInfo> read(EnrollmentClient c) throws ApiException {
        List<SessionInfo> ordered = new ArrayList<>(c.sessions());
        ordered.sort(Comparator.comparing(s -> !s.current())); // a stable sort: the rest keep their order
        return List.copyOf(ordered);
    }

    /** Ends every session but this one; one that ended by itself meanwhile is no failure. */
    static EndedOthers endOthers(EnrollmentClient c) throws ApiException {
        int ended = 0;
        for (SessionInfo s : c.sessions()) {
            if (!s.current()) {
                try {
                    c.endSession(s.id());
                    ended++;
                } catch (ApiException e) {
                    if (!e.is(ErrorCode.NOT_FOUND)) {
                        throw e;
                    }
                }
            }
        }
        return new EndedOthers(ended, read(c));
    }
}
