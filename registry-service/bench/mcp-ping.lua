-- An MCP ping in an open session (wrk -s). BENCH_TOKEN and BENCH_SESSION come from the environment.
wrk.method = "POST"
wrk.body = '{"jsonrpc":"2.0","id":2,"method":"ping"}'
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Accept"] = "application/json, text/event-stream"
wrk.headers["MCP-Protocol-Version"] = "2025-11-25"
wrk.headers["Authorization"] = "Bearer " .. os.getenv("BENCH_TOKEN")
wrk.headers["Mcp-Session-Id"] = os.getenv("BENCH_SESSION")

done = function(summary, latency, requests)
  io.write(string.format("RESULT p50_ms=%.3f p99_ms=%.3f rps=%.1f requests=%d non2xx=%d errors=%d\n",
    latency:percentile(50) / 1000, latency:percentile(99) / 1000, summary.requests / (summary.duration / 1e6),
    summary.requests, summary.errors.status,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))
end
