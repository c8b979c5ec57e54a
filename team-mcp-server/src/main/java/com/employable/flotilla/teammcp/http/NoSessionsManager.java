package com.employable.flotilla.teammcp.http;

import java.beans.PropertyChangeListener;
import org.apache.catalina.Context;
import org.apache.catalina.Manager;
import org.apache.catalina.Session;
import org.apache.catalina.SessionIdGenerator;

/**
 * The session manager of a context that keeps no HTTP sessions. MCP sessions belong to the SDK and are keyed by
 * {@code Mcp-Session-Id}; nothing here calls {@code getSession()}. Tomcat's own managers build a SecureRandom when they
 * are constructed and again when they start, a fifth of the server's start on one core. A request that asks for an
 * HTTP session gets an error instead of a session nobody would look after.
 */
public final class NoSessionsManager implements Manager {

    private Context context;
    private SessionIdGenerator sessionIdGenerator;

    @Override
    public Session createSession(String sessionId) {
        throw new IllegalStateException("this server keeps no HTTP sessions (MCP sessions use Mcp-Session-Id)");
    }

    @Override
    public Session createEmptySession() {
        return createSession(null);
    }

    @Override
    public Session findSession(String id) {
        return null;
    }

    @Override
    public Session[] findSessions() {
        return new Session[0];
    }

    @Override
    public void add(Session session) {
        throw new IllegalStateException("this server keeps no HTTP sessions");
    }

    @Override
    public void changeSessionId(Session session, String newId) {
        throw new IllegalStateException("this server keeps no HTTP sessions");
    }

    @Override
    public void remove(Session session) {}

    @Override
    public void remove(Session session, boolean update) {}

    @Override
    public void load() {}

    @Override
    public void unload() {}

    @Override
    public void backgroundProcess() {}

    @Override
    public boolean willAttributeDistribute(String name, Object value) {
        return false;
    }

    @Override
    public Context getContext() {
        return context;
    }

    @Override
    public void setContext(Context context) {
        this.context = context;
    }

    @Override
    public SessionIdGenerator getSessionIdGenerator() {
        return sessionIdGenerator;
    }

    @Override
    public void setSessionIdGenerator(SessionIdGenerator sessionIdGenerator) {
        this.sessionIdGenerator = sessionIdGenerator;
    }

    // statistics and tuning of sessions that never exist: fixed answers, settings ignored

    @Override
    public long getSessionCounter() {
        return 0;
    }

    @Override
    public int getMaxActive() {
        return 0;
    }

    @Override
    public void setMaxActive(int maxActive) {}

    @Override
    public int getActiveSessions() {
        return 0;
    }

    @Override
    public long getExpiredSessions() {
        return 0;
    }

    @Override
    public void setExpiredSessions(long expiredSessions) {}

    @Override
    public int getRejectedSessions() {
        return 0;
    }

    @Override
    public int getSessionMaxAliveTime() {
        return 0;
    }

    @Override
    public void setSessionMaxAliveTime(int sessionMaxAliveTime) {}

    @Override
    public int getSessionAverageAliveTime() {
        return 0;
    }

    @Override
    public int getSessionCreateRate() {
        return 0;
    }

    @Override
    public int getSessionExpireRate() {
        return 0;
    }

    @Override
    public void addPropertyChangeListener(PropertyChangeListener listener) {}

    @Override
    public void removePropertyChangeListener(PropertyChangeListener listener) {}

    @Override
    public void setNotifyBindingListenerOnUnchangedValue(boolean notify) {}

    @Override
    public void setNotifyAttributeListenerOnUnchangedValue(boolean notify) {}

    @Override
    public void setSessionActivityCheck(boolean check) {}

    @Override
    public void setSessionLastAccessAtStart(boolean atStart) {}
}
