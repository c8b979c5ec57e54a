/**
 * Who is calling: employable's JWTs verified with nimbus-jose-jwt (a shared HS256 secret or a JWKS URL, issuer,
 * audience, a team claim at a configurable path, an admin role), and the short-lived per-team tokens the gateway
 * forwards to team servers instead of the agent's own token.
 */
package com.employable.flotilla.registry.auth;
