package com.employable.flotilla.registry.api;

import com.employable.flotilla.registry.auth.Agent;
import com.employable.flotilla.registry.auth.AgentAuthenticator;
import com.employable.flotilla.registry.auth.AuthenticationFailed;
import com.employable.flotilla.registry.system.Problems;
import org.springframework.core.MethodParameter;
import org.springframework.http.HttpHeaders;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/** Gives handlers an authenticated {@link Agent}, or answers 401 before the handler runs. */
class AgentArgumentResolver implements HandlerMethodArgumentResolver {

    static final String CHALLENGE = "realm=\"flotilla-registry\"";

    private final AgentAuthenticator authenticator;

    AgentArgumentResolver(AgentAuthenticator authenticator) {
        this.authenticator = authenticator;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType() == Agent.class;
    }

    @Override
    public Agent resolveArgument(
            MethodParameter parameter,
            ModelAndViewContainer mavContainer,
            NativeWebRequest webRequest,
            WebDataBinderFactory binderFactory) {
        try {
            return authenticator.authenticate(webRequest.getHeader(HttpHeaders.AUTHORIZATION));
        } catch (AuthenticationFailed failed) {
            throw Problems.unauthenticated(failed, CHALLENGE);
        }
    }
}
