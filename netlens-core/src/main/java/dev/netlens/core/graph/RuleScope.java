package dev.netlens.core.graph;

/**
 * Binds a {@link Composite} to one {@link Trace} until {@link #close()}: backward passes of that
 * trace that name no composite use the bound one. Use with try-with-resources; closing restores
 * the previous binding even when the body threw. Scopes nest and must be closed innermost first.
 */
public final class RuleScope implements AutoCloseable {
    private final Trace trace;
    private final Composite composite;
    private boolean closed;

    RuleScope(Trace trace, Composite composite) {
        this.trace = trace;
        this.composite = composite;
    }

    Composite composite() {
        return composite;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            trace.unbind(this);
        }
    }
}
