using System.CommandLine;
using Embedded.Cli.Commands;

// The one PC command. Each verb lives in its own file under Commands/.
var root = new RootCommand("Train, quantize, inspect, run and flash fixed-point RNN/LSTM/GRU models for small devices.")
{
    TrainCommand.Create(),
    QuantizeCommand.Create(),
    InspectCommand.Create(),
    BenchCommand.Create(),
    DetectCommand.Create(),
    EvaluateCommand.Create(),
    GenerateCommand.Create(),
    DemoCommand.Create(),
    FlashCommand.Create(),
    RecordCommand.Create(),
    EmitCommand.Create(),
    CorpusCommand.Create(),
};
return CliInvoker.Invoke(root, args);
