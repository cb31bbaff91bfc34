// The one place the version lives.
public enum HMRVersion {
    public static let string = "0.1.0"
}
