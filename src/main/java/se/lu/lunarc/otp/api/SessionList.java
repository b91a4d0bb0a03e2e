package se.lu.lunarc.otp.api;

import java.util.List;

/** The user's sessions, oldest first. */
public record SessionList(List<SessionInfo> sessions) {}
