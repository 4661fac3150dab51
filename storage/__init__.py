"""Tables, engine, migrations, repositories and the Bot Framework state store."""
