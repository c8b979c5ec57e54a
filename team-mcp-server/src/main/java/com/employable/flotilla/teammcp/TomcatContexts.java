package com.employable.flotilla.teammcp;

import com.employable.flotilla.teammcp.http.NoSessionsManager;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.Wrapper;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.apache.tomcat.util.descriptor.web.FilterDef;
import org.apache.tomcat.util.descriptor.web.FilterMap;

/** Builds the root context the way this server needs it: instances handed over, nothing scanned or set up unused. */
final class TomcatContexts {

    private TomcatContexts() {}

    /**
     * The root context, without what {@link Tomcat#addContext} adds for web applications: a login authenticator and
     * a session manager, each setting up a SecureRandom at start for security constraints and HTTP sessions this
     * server never uses (MCP sessions are the SDK's own).
     *
     * @param version Tomcat's parallel-deployment version ("" for the first): of several root contexts, Tomcat routes
     *                each new request to the highest version, so adding a higher one swaps the whole request-serving
     *                part at once (the warm pool's identity switch)
     */
    static Context root(String version) {
        var context = new StandardContext();
        context.setName(version.isEmpty() ? "" : "##" + version);
        context.setPath("");
        context.setWebappVersion(version);
        context.setParentClassLoader(TeamMcpServerMain.class.getClassLoader());
        // every servlet and filter is handed over as an instance: no annotations to scan (each annotation type read
        // costs a proxy class generated at runtime)
        context.setIgnoreAnnotations(true);
        context.addLifecycleListener(event -> {
            if (Lifecycle.CONFIGURE_START_EVENT.equals(event.getType())) {
                context.setConfigured(true);
            }
        });
        context.setManager(new NoSessionsManager());
        // a context stopped at runtime (the warm pool's) would otherwise warn that these checks need --add-opens;
        // everything here shares the application class loader, so there is nothing of its own to leak
        context.setClearReferencesThreadLocals(false);
        context.setClearReferencesRmiTargets(false);
        return context;
    }

    static void addFilter(Context context, String name, Filter filter) {
        var definition = new FilterDef();
        definition.setFilterName(name);
        definition.setFilter(filter);
        definition.setAsyncSupported("true");
        context.addFilterDef(definition);
        var mapping = new FilterMap();
        mapping.setFilterName(name);
        mapping.addURLPattern("/*");
        context.addFilterMap(mapping);
    }

    /** Unlike {@link Tomcat#addServlet}, does not read the servlet's {@code @WebServlet}: see setIgnoreAnnotations. */
    static Wrapper addServlet(Context context, String name, HttpServlet servlet, String... patterns) {
        Wrapper wrapper = context.createWrapper();
        wrapper.setName(name);
        wrapper.setServletClass(servlet.getClass().getName());
        wrapper.setServlet(servlet);
        wrapper.setAsyncSupported(true);
        context.addChild(wrapper);
        for (String pattern : patterns) {
            context.addServletMappingDecoded(pattern, name);
        }
        return wrapper;
    }
}
