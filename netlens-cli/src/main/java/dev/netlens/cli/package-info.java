/**
 * The {@code netlens} command-line tool: thin picocli commands over the library
 * (see DESIGN.md §5 for the contract: exit 0 on success, 2 on bad usage or input, 1 on internal error).
 */
package dev.netlens.cli;
