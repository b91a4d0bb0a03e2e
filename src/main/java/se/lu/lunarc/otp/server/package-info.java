/**
 * The backend wired together: its configuration, the services built from it (Backend), the commands that run it.
 * May import every server package; none of them imports this one but for ServerConfig and Backend.
 */
package se.lu.lunarc.otp.server;
