package com.employable.flotilla.teammcp.http;

import org.apache.catalina.LifecycleException;
import org.apache.catalina.SessionIdGenerator;
import org.apache.catalina.util.StandardSessionIdGenerator;

/**
 * Tomcat's standard session id generator, created the first time a session id is needed. Tomcat starts its own at
 * context start and seeds a SecureRandom then, which is start-up time on a woken machine for HTTP sessions that
 * this server never creates. If one is ever created, its id is as strong as Tomcat's.
 */
public final class LazySessionIdGenerator implements SessionIdGenerator {

    private String jvmRoute;
    private int sessionIdLength = 16;
    private StandardSessionIdGenerator generator;

    @Override
    public synchronized String getJvmRoute() {
        return jvmRoute;
    }

    @Override
    public synchronized void setJvmRoute(String jvmRoute) {
        this.jvmRoute = jvmRoute;
    }

    @Override
    public synchronized int getSessionIdLength() {
        return sessionIdLength;
    }

    @Override
    public synchronized void setSessionIdLength(int sessionIdLength) {
        this.sessionIdLength = sessionIdLength;
    }

    @Override
    public String generateSessionId() {
        return generateSessionId(getJvmRoute());
    }

    @Override
    public synchronized String generateSessionId(String route) {
        if (generator == null) {
            var standard = new StandardSessionIdGenerator();
            standard.setSessionIdLength(sessionIdLength);
            standard.setJvmRoute(jvmRoute);
            try {
                standard.start();
            } catch (LifecycleException e) {
                throw new IllegalStateException("session id generator did not start", e);
            }
            generator = standard;
        }
        return generator.generateSessionId(route);
    }
}
