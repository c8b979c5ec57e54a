package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.common.events.Require;
import com.employable.flotilla.registry.auth.AuthProperties;
import com.employable.flotilla.registry.system.Problems;
import com.employable.flotilla.registry.system.PublicUrls;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.http.CacheControl;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/**
 * RFC 9728 protected resource metadata for each gateway URL, which MCP clients read (from the 401 challenge) to learn
 * where tokens come from. The same document for every well-formed team id: it says nothing about whether a team
 * exists.
 */
@RestController
class ProtectedResourceMetadata {

    private final PublicUrls urls;

    private final AuthProperties auth;

    ProtectedResourceMetadata(PublicUrls urls, AuthProperties auth) {
        this.urls = urls;
        this.auth = auth;
    }

    @GetMapping("/.well-known/oauth-protected-resource/{teamId}/mcp")
    ResponseEntity<Map<String, Object>> metadata(@PathVariable String teamId, HttpServletRequest request) {
        if (!Require.isTeamId(teamId)) {
            throw Problems.badRequest("a team id is 1-40 characters of a-z 0-9 - or a UUID");
        }
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("resource", urls.gateway(teamId, request));
        document.put("authorization_servers", auth.authorizationServersOrIssuer());
        document.put("bearer_methods_supported", List.of("header"));
        document.put("resource_name", "Flotilla MCP server of team " + teamId);
        return ResponseEntity.ok()
                .cacheControl(CacheControl.maxAge(java.time.Duration.ofHours(1)))
                .body(document);
    }
}
