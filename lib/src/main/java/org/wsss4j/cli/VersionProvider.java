package org.wsss4j.cli;

import picocli.CommandLine.IVersionProvider;

/** Version line: the kit's version from the jar manifest plus the DJL / libtorch pins. */
public final class VersionProvider implements IVersionProvider {
    @Override
    public String[] getVersion() {
        String v = Main.class.getPackage().getImplementationVersion();
        return new String[] {
            "wsss4j " + (v == null ? "dev" : v), "DJL 0.35.1, PyTorch engine, libtorch 2.7.1"
        };
    }
}
