// The build-tool plugin that embeds the browser client in HMRCore: on every build
// whose client/hmr-client.js changed, EmbedClientTool writes ClientScriptSource.swift
// into the plugin's work folder, where HMRCore compiles it. The binary so needs no
// file beside it, and no generated Swift copy of the client is checked in.
import Foundation
import PackagePlugin

@main
struct EmbedClient: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        let script = context.package.directoryURL.appending(path: "client/hmr-client.js")
        let source = context.pluginWorkDirectoryURL.appending(path: "ClientScriptSource.swift")
        return [
            .buildCommand(
                displayName: "Embedding client/hmr-client.js in \(target.name)",
                executable: try context.tool(named: "EmbedClientTool").url,
                arguments: [script.path(percentEncoded: false), source.path(percentEncoded: false)],
                inputFiles: [script],
                outputFiles: [source]
            ),
        ]
    }
}
