package com.employable.flotilla.teammcp.http;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * The host's error page: RFC 9457 problem details instead of Tomcat's HTML report. Tomcat answers some requests
 * itself before any filter sees them (a request target with {@code %2F}, {@code %5C}, a backslash or {@code ..} above
 * the root gets 400 from the connector); those answers get the same JSON body as every other error, never a stack
 * trace or a server banner. Instantiated by Tomcat from its class name, hence public with a no-argument constructor.
 */
public final class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        var ioAllowed = new AtomicBoolean(false);
        response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
        if (!ioAllowed.get()) {
            return;
        }
        byte[] body = ErrorBodies.problem(status, ErrorBodies.reason(status), null);
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            PrintWriter writer = response.getReporter();
            if (writer != null) {
                writer.write(new String(body, StandardCharsets.UTF_8));
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response was already taken over: nothing left to tell it
        }
    }
}
