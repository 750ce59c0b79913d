import Foundation
import Testing

/// The `./k3sim` launcher's prerequisite check, on a machine whose packages are hidden or faked:
/// PATH and the pkg-config folders point at stub folders, so the outcome never depends on what
/// this machine has installed, and nothing is really installed or removed.
@Suite struct LauncherTests {
    static let launcher = CLITests.packageRoot.appendingPathComponent("k3sim").path

    /// A fake system: `.pc` files for the given pkg-config modules, stub executables for the
    /// given commands (an `apt-get` stub logs its arguments and succeeds).
    struct FakeSystem {
        let root: URL
        var bin: URL { root.appendingPathComponent("bin") }
        var pkgconfig: URL { root.appendingPathComponent("pkgconfig") }
        var aptLog: URL { root.appendingPathComponent("apt.log") }

        init(modules: [String], commands: [String]) throws {
            root = FileManager.default.temporaryDirectory.appendingPathComponent("k3sim-launcher-\(UUID().uuidString)")
            let fm = FileManager.default
            try fm.createDirectory(at: root.appendingPathComponent("bin"), withIntermediateDirectories: true)
            try fm.createDirectory(at: root.appendingPathComponent("pkgconfig"), withIntermediateDirectories: true)
            for m in modules {
                try "Name: \(m)\n".write(to: pkgconfig.appendingPathComponent("\(m).pc"), atomically: true, encoding: .utf8)
            }
            for c in commands {
                let body = c == "apt-get" ? "#!/bin/bash\necho \"$*\" >> '\(aptLog.path)'\n" : "#!/bin/bash\nexit 0\n"
                let file = bin.appendingPathComponent(c)
                try body.write(to: file, atomically: true, encoding: .utf8)
                try fm.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
            }
        }

        /// Runs the launcher with bash by absolute path (PATH has no bash) in this system.
        func launcher(_ args: [String], environment: [String: String] = [:]) throws -> CLITests.Result {
            try CLITests.run(
                URL(fileURLWithPath: "/bin/bash"), [LauncherTests.launcher] + args,
                environment: ["PATH": bin.path, "PKG_CONFIG_LIBDIR": pkgconfig.path, "HOME": root.path, "TMPDIR": root.path]
                    .merging(environment) { _, given in given })
        }
    }

    static let testCommands = ["etcd", "chromium", "openssl", "python3", "ip"]
    /// What the launcher prefixes to apt-get when the tests do not run as root.
    static let sudo = getuid() == 0 ? "" : "sudo "

    @Test func everythingPresentPasses() throws {
        let system = try FakeSystem(modules: ["sqlite3", "libcurl"], commands: Self.testCommands + ["apt-get"])
        let r = try system.launcher(["doctor", "--tests"])
        #expect(r.code == 0, "\(r.stderr)")
        #expect(r.stderr.contains("every prerequisite (tests) is present"))
    }

    @Test func namesAHiddenHeaderPackageAndItsInstallCommand() throws {
        let system = try FakeSystem(modules: ["sqlite3"], commands: Self.testCommands + ["apt-get"])
        let r = try system.launcher(["doctor"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("missing libcurl4-openssl-dev: libcurl headers"))
        #expect(r.stderr.contains("install with: \(Self.sudo)apt-get install -y libcurl4-openssl-dev\n"), "\(r.stderr)")
        #expect(!r.stderr.contains("libsqlite3-dev"))
        #expect(r.stdout.isEmpty)
    }

    @Test func theTestsNeedWhatTheyStart() throws {
        let system = try FakeSystem(modules: ["sqlite3", "libcurl"], commands: ["openssl", "python3", "ip", "apt-get"])
        let build = try system.launcher(["doctor"])
        #expect(build.code == 0, "the run needs no etcd or chromium: \(build.stderr)")
        let tests = try system.launcher(["doctor", "--tests"])
        #expect(tests.code == 1)
        #expect(tests.stderr.contains("missing etcd-server"))
        #expect(tests.stderr.contains("missing chromium"))
        #expect(tests.stderr.contains("install with: \(Self.sudo)apt-get install -y etcd-server chromium\n"), "\(tests.stderr)")
    }

    @Test func withoutAptGetItNamesThePackagesForAnotherPackageManager() throws {
        let system = try FakeSystem(modules: [], commands: Self.testCommands)
        let r = try system.launcher(["doctor"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("missing libsqlite3-dev"))
        #expect(r.stderr.contains("missing libcurl4-openssl-dev"))
        #expect(r.stderr.contains("no apt-get on this system"))
    }

    /// `setup` calls apt-get with exactly the missing packages, then checks again: the stub installs
    /// nothing, so the launcher must say the packages are still missing and fail.
    @Test(.enabled(if: getuid() == 0, "as another user the launcher goes through sudo"))
    func setupInstallsExactlyWhatIsMissingAndChecksAgain() throws {
        let system = try FakeSystem(modules: ["sqlite3"], commands: ["chromium", "openssl", "python3", "ip", "apt-get"])
        let r = try system.launcher(["setup", "--tests"])
        let calls = (try? String(contentsOf: system.aptLog, encoding: .utf8)) ?? ""
        #expect(calls == "update -qq\ninstall -y -qq libcurl4-openssl-dev etcd-server\n")
        #expect(r.code == 1)
        #expect(r.stderr.contains("still missing after apt-get install"))
    }

    @Test func noInstallNamesWithoutCallingAptGet() throws {
        let system = try FakeSystem(modules: ["sqlite3"], commands: Self.testCommands + ["apt-get"])
        let r = try system.launcher(["setup"], environment: ["K3SIM_NO_INSTALL": "1"])
        #expect(r.code == 1)
        #expect(r.stderr.contains("missing libcurl4-openssl-dev"))
        #expect(!FileManager.default.fileExists(atPath: system.aptLog.path), "apt-get was called")
    }

    /// CI runs exactly the README's two commands, so a fresh clone is checked the way a user starts.
    @Test func ciRunsTheReadmesTwoCommands() throws {
        let readme = try String(contentsOf: CLITests.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.components(separatedBy: "## Two commands on a fresh machine").dropFirst().first)
        let commands = section.components(separatedBy: "```sh\n").dropFirst().prefix(2)
            .map { $0.components(separatedBy: "\n")[0] }
        #expect(commands == ["./k3sim run scenarios/hetzner-k3s-ha.yaml", "./k3sim test"])
        let ci = try String(contentsOf: CLITests.packageRoot.appendingPathComponent(".ci/run"), encoding: .utf8)
            .components(separatedBy: "\n")
        for command in commands { #expect(ci.contains(command), ".ci/run does not run `\(command)`") }
    }
}
