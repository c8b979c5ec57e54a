/**
 * The MCP gateway at {@code /{teamId}/mcp}: authenticates the agent before anything reaches a team server, then
 * either asks Fly Proxy to replay the request to the team's app ({@code fly-replay} mode) or reverse-proxies it
 * ({@code proxy} mode) with the agent's token replaced by a short-lived token for that team only, keeping each MCP
 * session on the machine that created it and waiting, within a bound, for a stopped server to wake.
 */
package com.employable.flotilla.registry.gateway;
