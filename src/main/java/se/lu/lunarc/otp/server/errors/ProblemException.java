package se.lu.lunarc.otp.server.errors;

import se.lu.lunarc.otp.api.Problem;

/** Thrown by handlers and services; the server turns it into an application/problem+json answer. */
public final class ProblemException extends RuntimeException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.code(), null, false, false);
        this.problem = problem;
    }

    public ProblemException(int status, String code, String title, String detail) {
        this(Problem.of(status, code, title, detail));
    }

    public Problem problem() {
        return problem;
    }
}
