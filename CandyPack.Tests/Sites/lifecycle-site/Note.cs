namespace LifecycleSite;

/// <summary>A row the site inserts: its own type, so the data layer meets a type of this build.</summary>
public sealed class Note
{
    public string Title { get; set; } = string.Empty;

    public NoteTags Tags { get; set; } = new();
}

/// <summary>Stored as JSON text in the notes table.</summary>
public sealed class NoteTags
{
    public string FirstTag { get; set; } = string.Empty;
}

/// <summary>A row the site reads back with Get&lt;T&gt;().</summary>
public sealed class NoteRow
{
    public long Id { get; set; }

    public string Title { get; set; } = string.Empty;

    public string Tags { get; set; } = string.Empty;
}

/// <summary>Derives from a type of another assembly, so a build missing that assembly fails to load its types.</summary>
public sealed class Tagged : LifecycleExtra.Marker
{
}
