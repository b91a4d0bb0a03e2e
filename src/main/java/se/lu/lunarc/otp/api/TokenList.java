package se.lu.lunarc.otp.api;

import java.util.List;

public record TokenList(List<Token> tokens) {}
