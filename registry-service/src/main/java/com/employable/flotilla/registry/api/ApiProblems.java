package com.employable.flotilla.registry.api;

import com.employable.flotilla.registry.system.ProblemException;
import com.employable.flotilla.registry.system.Problems;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Every API error is an RFC 9457 problem: ours ({@link ProblemException}) and Spring MVC's own (bad parameters,
 * unsupported methods, unknown paths), which {@link ResponseEntityExceptionHandler} renders as problems too.
 */
@RestControllerAdvice
class ApiProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ApiProblems.class);

    @ExceptionHandler(ProblemException.class)
    ResponseEntity<ProblemDetail> problem(ProblemException problem, HttpServletRequest request) {
        return ResponseEntity.status(problem.status())
                .headers(problem.headers())
                .contentType(MediaType.APPLICATION_PROBLEM_JSON)
                .body(problem.toProblemDetail(URI.create(request.getRequestURI())));
    }

    @ExceptionHandler(DataAccessException.class)
    ResponseEntity<ProblemDetail> databaseUnavailable(DataAccessException failure, HttpServletRequest request) {
        log.error("discovery table unavailable for {}", request.getRequestURI(), failure);
        return problem(
                Problems.unavailable(
                        "registry-unavailable",
                        "Registry unavailable",
                        "the discovery table cannot be read right now",
                        Duration.ofSeconds(5)),
                request);
    }

    @ExceptionHandler(Exception.class)
    ResponseEntity<ProblemDetail> unexpected(Exception failure, HttpServletRequest request) {
        log.error("unexpected failure serving {}", request.getRequestURI(), failure);
        return problem(
                new ProblemException(
                        HttpStatus.INTERNAL_SERVER_ERROR,
                        "internal-error",
                        "Internal error",
                        "the registry failed to answer; the failure is logged"),
                request);
    }
}
