/** Configuration, problem responses and other plumbing shared by the API and the gateway. */
package com.employable.flotilla.registry.system;
