// Placeholder entry point until the edge app lands (issue 6).
Console.Error.WriteLine("embedded-edge: not implemented yet");
return 2;
