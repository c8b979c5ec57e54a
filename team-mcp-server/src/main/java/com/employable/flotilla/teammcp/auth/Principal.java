package com.employable.flotilla.teammcp.auth;

/**
 * Who made a request, after the token was verified. Tools read it from the MCP transport context; the session guard
 * binds each MCP session to the principal that opened it.
 */
public record Principal(Kind kind, String subject, String issuer) {

    /** Key under which the principal travels in the request attributes and the MCP transport context. */
    public static final String ATTRIBUTE = Principal.class.getName();

    public enum Kind {
        /** employable's own JWT, verified by JWKS. */
        USER,
        /** A short-lived token the gateway minted with this team's key. */
        GATEWAY,
        /** The health-service's probe token: may only initialize, ping and list tools. */
        PROBE,
        /** Fly's machine check (flyd, next to the machine): may only ask for {@code /healthz/mcp}. */
        CHECK
    }

    public static Principal probe() {
        return new Principal(Kind.PROBE, "health-probe", "flotilla-health");
    }

    public static Principal check() {
        return new Principal(Kind.CHECK, "machine-check", "flyd");
    }

    /** Two requests belong to the same owner when kind, issuer and subject all match. */
    String ownerKey() {
        return kind + "\u0000" + issuer + "\u0000" + subject;
    }
}
