package io.libchan.rest;

import io.libchan.rest.internal.WebSocketInstallation;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.ws.rs.core.Application;
import java.util.Set;

/**
 * Adds the libchan WebSocket endpoint (PROTOCOL.md sections 13.3 and 13.4) to every web application that
 * bundles this jar, at {@code <context>/<@ApplicationPath>/libchan/ws}: beside the
 * {@link LibchanResource}, so the application's security constraints on its REST path cover it too.
 * The application path is read from the application's one {@code @ApplicationPath} class; set
 * {@value LibchanRest#WEBSOCKET_PATH} when there is none (JAX-RS mapped in {@code web.xml}) or several.
 * {@value LibchanRest#WEBSOCKET_ENABLED}{@code =false} or {@value LibchanRest#ENABLED}{@code =false}
 * leave it out.
 *
 * <p>A {@link ServletContainerInitializer} found through {@code META-INF/services}, as servlet
 * containers find those of the jars in {@code WEB-INF/lib}.
 */
@HandlesTypes(Application.class)
public final class LibchanWebSocketInstaller implements ServletContainerInitializer {

    @Override
    public void onStartup(Set<Class<?>> applications, ServletContext context) {
        WebSocketInstallation.install(applications, context);
    }
}
