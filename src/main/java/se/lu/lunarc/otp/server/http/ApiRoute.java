package se.lu.lunarc.otp.server.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;

/** One operation of API v1; the server's table of these is checked against openapi.yaml by a test. */
public record ApiRoute(HandlerType method, String path, Handler handler) {}
