package com.employable.flotilla.teammcp.auth;

/** What a token verifier concluded about one token. */
sealed interface Verification {

    /** Valid, and for this team. */
    record Accepted(Principal principal) implements Verification {}

    /** Valid signature, issuer and lifetime, but for another team: HTTP 403. */
    record OtherTeam(String reason) implements Verification {}

    /** Cannot be decided right now (the JWKS endpoint is unreachable and no key set is cached): HTTP 503. */
    record Unavailable(String reason) implements Verification {}

    /** Not acceptable (bad signature, expired, wrong issuer or audience, malformed): HTTP 401. */
    record Rejected(String reason) implements Verification {}
}
