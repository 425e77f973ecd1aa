using System.CommandLine;
using Embedded.Edge.Hosting;

// embedded-edge: see docs/RASPBERRYPI.md. Signals are handled by EdgeCommand (clean stop on SIGTERM).
EdgeApp.MainStartedTicks = System.Diagnostics.Stopwatch.GetTimestamp();
using Stream stdout = Console.OpenStandardOutput();
RootCommand root = EdgeCommand.Create(stdout, Console.In, EdgeLog.Console);
return await root.Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
