package com.employable.flotilla.common.teams;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;

/** Gives every service the one derivation of team app names and endpoints ({@code flotilla.teams.*}). */
@AutoConfiguration
@EnableConfigurationProperties(TeamAddresses.class)
public class FlotillaTeamsAutoConfiguration {}
