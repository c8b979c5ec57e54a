package com.employable.flotilla.registry.gateway;

import com.employable.flotilla.registry.system.ProblemException;
import com.employable.flotilla.registry.system.ProblemWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.http.HttpStatus;

/**
 * Tomcat's own error answers (a path it refuses to normalise, such as {@code /%2e%2e/x}, before any filter runs) as
 * RFC 9457 problems instead of an HTML page, so every 4xx of the public port is a JSON problem.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.isCommitted() || response.getContentWritten() > 0) {
            return;
        }
        HttpStatus known = HttpStatus.resolve(status);
        boolean badPath = status == 400;
        var problem = new ProblemException(
                known != null ? known : HttpStatus.BAD_REQUEST,
                badPath ? "non-canonical-path" : "http-error",
                badPath ? "Non-canonical path" : "Request refused",
                badPath
                        ? "the request path or line is not in its canonical form; send it in its canonical form"
                        : "the request was refused");
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            ProblemWriter.write(response, problem, "/");
        } catch (IOException | IllegalStateException gone) {
            // the client is gone or the answer already started: nothing more to say
        }
    }
}
