package io.tollgate.infra.http;

/** Thrown (or failed with) anywhere below a resource to answer with a problem; carries no stack trace. */
public class ProblemException extends RuntimeException {
    private final ProblemType type;

    public ProblemException(ProblemType type, String detail) {
        super(detail, null, false, false);
        this.type = type;
    }

    public ProblemType type() {
        return type;
    }

    public Problem problem() {
        return Problem.of(type, getMessage());
    }
}
