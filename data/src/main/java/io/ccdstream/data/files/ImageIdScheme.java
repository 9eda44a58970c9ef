package io.ccdstream.data.files;

/** How an ingested file's image id is made. */
public enum ImageIdScheme {
    /** The file's path relative to the root it was found under, with {@code /} as separator. */
    PATH,
    /** The lower-case hex SHA-256 of the file's bytes: the same image under any name has one id. */
    CONTENT
}
