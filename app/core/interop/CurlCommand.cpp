#include "interop/CurlCommand.h"

#include <QHash>
#include <QRegularExpression>
#include <QSet>
#include <QStringDecoder>
#include <QUrl>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace {

// ---------------------------------------------------------------------------------------------
// Tokenizer

struct Word
{
    QByteArray text;
    bool quoted = false; // some part of it was quoted
    bool shellOperator = false; // an unquoted | || & && ; > < … standing alone
};

struct Tokens
{
    QList<Word> words;
    QStringList notes; // shell syntax taken literally
    QString error;
};

void appendCodePoint(QByteArray &out, char32_t cp)
{
    if (cp < 0x80) {
        out += char(cp);
    } else if (cp < 0x800) {
        out += char(0xC0 | (cp >> 6));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
        out += char(0xE0 | (cp >> 12));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    } else if (cp <= 0x10FFFF) {
        out += char(0xF0 | (cp >> 18));
        out += char(0x80 | ((cp >> 12) & 0x3F));
        out += char(0x80 | ((cp >> 6) & 0x3F));
        out += char(0x80 | (cp & 0x3F));
    }
}

bool isSpace(char32_t c)
{
    return c == U' ' || c == U'\t' || c == U'\n' || c == U'\r' || c == U'\f' || c == U'\v';
}

bool isOperatorChar(char32_t c)
{
    return c == U'|' || c == U'&' || c == U';' || c == U'<' || c == U'>';
}

bool isNameStart(char32_t c)
{
    return (c >= U'a' && c <= U'z') || (c >= U'A' && c <= U'Z') || c == U'_';
}

int hexDigit(char32_t c)
{
    if (c >= U'0' && c <= U'9')
        return int(c - U'0');
    if (c >= U'a' && c <= U'f')
        return int(c - U'a' + 10);
    if (c >= U'A' && c <= U'F')
        return int(c - U'A' + 10);
    return -1;
}

QString column(qsizetype index)
{
    return QString::number(index + 1);
}

Tokens tokenizeWords(const QString &commandLine)
{
    Tokens tokens;
    QList<char32_t> s;
    s.reserve(commandLine.size());
    for (const uint cp : commandLine.toUcs4())
        s.append(char32_t(cp));
    const qsizetype n = s.size();

    Word current;
    bool inWord = false;
    const auto flush = [&] {
        if (inWord)
            tokens.words.append(current);
        current = {};
        inWord = false;
    };
    const auto note = [&](const QString &text) {
        if (!tokens.notes.contains(text))
            tokens.notes.append(text);
    };
    const auto isContinuation = [&](qsizetype at) -> qsizetype { // length of "\\\n" or "\\\r\n" at `at`, else 0
        if (at + 1 < n && s[at] == U'\\' && s[at + 1] == U'\n')
            return 2;
        if (at + 2 < n && s[at] == U'\\' && s[at + 1] == U'\r' && s[at + 2] == U'\n')
            return 3;
        return 0;
    };

    qsizetype i = 0;
    while (i < n) {
        const char32_t c = s[i];
        if (const qsizetype skip = isContinuation(i)) {
            i += skip;
            continue;
        }
        if (isSpace(c)) {
            flush();
            ++i;
            continue;
        }
        if (c == U'\\') {
            if (i + 1 >= n) {
                tokens.error = u"The command ends with a backslash that escapes nothing."_s;
                return tokens;
            }
            appendCodePoint(current.text, s[i + 1]);
            current.quoted = true;
            inWord = true;
            i += 2;
            continue;
        }
        if (c == U'\'') {
            qsizetype j = i + 1;
            while (j < n && s[j] != U'\'')
                appendCodePoint(current.text, s[j++]);
            if (j >= n) {
                tokens.error = u"A single quote at column %1 is never closed."_s.arg(column(i));
                return tokens;
            }
            current.quoted = true;
            inWord = true;
            i = j + 1;
            continue;
        }
        if (c == U'"' || (c == U'$' && i + 1 < n && s[i + 1] == U'"')) {
            const qsizetype open = c == U'$' ? i + 1 : i;
            qsizetype j = open + 1;
            bool closed = false;
            while (j < n) {
                if (const qsizetype skip = isContinuation(j)) {
                    j += skip;
                    continue;
                }
                const char32_t d = s[j];
                if (d == U'\\' && j + 1 < n && (s[j + 1] == U'$' || s[j + 1] == U'`' || s[j + 1] == U'"' || s[j + 1] == U'\\')) {
                    appendCodePoint(current.text, s[j + 1]);
                    j += 2;
                    continue;
                }
                if (d == U'"') {
                    closed = true;
                    break;
                }
                if (d == U'`' || (d == U'$' && j + 1 < n && (s[j + 1] == U'(' || s[j + 1] == U'{' || isNameStart(s[j + 1]))))
                    note(u"Shell expansions ($VAR, $(…), `…`) are kept as literal text: Tokenbench runs and expands nothing."_s);
                appendCodePoint(current.text, d);
                ++j;
            }
            if (!closed) {
                tokens.error = u"A double quote at column %1 is never closed."_s.arg(column(open));
                return tokens;
            }
            current.quoted = true;
            inWord = true;
            i = j + 1;
            continue;
        }
        if (c == U'$' && i + 1 < n && s[i + 1] == U'\'') {
            // ANSI-C quoting, as Chrome uses for bodies with newlines or quotes.
            qsizetype j = i + 2;
            bool closed = false;
            while (j < n) {
                const char32_t d = s[j];
                if (d == U'\'') {
                    closed = true;
                    break;
                }
                if (d != U'\\' || j + 1 >= n) {
                    appendCodePoint(current.text, d);
                    ++j;
                    continue;
                }
                const char32_t e = s[j + 1];
                j += 2;
                switch (e) {
                case U'a': current.text += '\a'; break;
                case U'b': current.text += '\b'; break;
                case U'e':
                case U'E': current.text += '\x1b'; break;
                case U'f': current.text += '\f'; break;
                case U'n': current.text += '\n'; break;
                case U'r': current.text += '\r'; break;
                case U't': current.text += '\t'; break;
                case U'v': current.text += '\v'; break;
                case U'\\': current.text += '\\'; break;
                case U'\'': current.text += '\''; break;
                case U'"': current.text += '"'; break;
                case U'?': current.text += '?'; break;
                case U'x': {
                    int value = 0;
                    int digits = 0;
                    while (digits < 2 && j < n && hexDigit(s[j]) >= 0) {
                        value = value * 16 + hexDigit(s[j++]);
                        ++digits;
                    }
                    if (digits == 0)
                        current.text += "\\x";
                    else
                        current.text += char(value); // a byte, not a character: $'\xc3\xa9' is "é"
                    break;
                }
                case U'u':
                case U'U': {
                    const int maxDigits = e == U'u' ? 4 : 8;
                    char32_t value = 0;
                    int digits = 0;
                    while (digits < maxDigits && j < n && hexDigit(s[j]) >= 0) {
                        value = value * 16 + char32_t(hexDigit(s[j++]));
                        ++digits;
                    }
                    if (digits == 0) {
                        current.text += '\\';
                        appendCodePoint(current.text, e);
                    } else {
                        appendCodePoint(current.text, value);
                    }
                    break;
                }
                case U'c':
                    if (j < n) {
                        current.text += char(s[j] & 0x1F);
                        ++j;
                    } else {
                        current.text += "\\c";
                    }
                    break;
                default:
                    if (e >= U'0' && e <= U'7') {
                        int value = int(e - U'0');
                        for (int digits = 1; digits < 3 && j < n && s[j] >= U'0' && s[j] <= U'7'; ++digits)
                            value = value * 8 + int(s[j++] - U'0');
                        current.text += char(value & 0xFF);
                    } else {
                        current.text += '\\';
                        appendCodePoint(current.text, e);
                    }
                    break;
                }
            }
            if (!closed) {
                tokens.error = u"A $' quote at column %1 is never closed."_s.arg(column(i));
                return tokens;
            }
            current.quoted = true;
            inWord = true;
            i = j + 1;
            continue;
        }
        if ((c == U'$' && i + 1 < n && (s[i + 1] == U'(' || s[i + 1] == U'{')) || c == U'`') {
            // A command substitution or parameter expansion, unquoted: one literal piece of the
            // word, spaces and all — the shell would have run it; we keep its text.
            const char32_t close = c == U'`' ? U'`' : (s[i + 1] == U'(' ? U')' : U'}');
            const char32_t open = c == U'`' ? U'`' : s[i + 1];
            qsizetype j = c == U'`' ? i + 1 : i + 2;
            int depth = 1;
            while (j < n) {
                if (s[j] == close && --depth == 0)
                    break;
                if (open != close && s[j] == open)
                    ++depth;
                ++j;
            }
            if (j >= n) {
                tokens.error = u"The shell expansion at column %1 is never closed."_s.arg(column(i));
                return tokens;
            }
            for (qsizetype k = i; k <= j; ++k)
                appendCodePoint(current.text, s[k]);
            note(u"Shell expansions ($VAR, $(…), `…`) are kept as literal text: Tokenbench runs and expands nothing."_s);
            inWord = true;
            i = j + 1;
            continue;
        }
        if (c == U'$' && i + 1 < n && isNameStart(s[i + 1]))
            note(u"Shell expansions ($VAR, $(…), `…`) are kept as literal text: Tokenbench runs and expands nothing."_s);
        if (c == U'#' && !inWord) {
            while (i < n && s[i] != U'\n')
                ++i;
            continue;
        }
        if (isOperatorChar(c) && !inWord) {
            qsizetype j = i;
            while (j < n && isOperatorChar(s[j]))
                ++j;
            if (j >= n || isSpace(s[j])) {
                Word op;
                for (qsizetype k = i; k < j; ++k)
                    appendCodePoint(op.text, s[k]);
                op.shellOperator = true;
                tokens.words.append(op);
                i = j;
                continue;
            }
        }
        appendCodePoint(current.text, c);
        inWord = true;
        ++i;
    }
    flush();
    return tokens;
}

// ---------------------------------------------------------------------------------------------
// Quoting

bool isValidUtf8(const QByteArray &bytes)
{
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString decoded = decoder(bytes);
    Q_UNUSED(decoded);
    return !decoder.hasError();
}

// Single quotes for anything a shell can hold as text; $'…' for bytes that are not UTF-8 or NUL
// (bash, zsh, ksh and POSIX.1-2024 sh read it).
QString quoteBytes(const QByteArray &bytes)
{
    if (!bytes.contains('\0') && isValidUtf8(bytes))
        return CurlCommand::shellQuote(QString::fromUtf8(bytes));
    QString out = u"$'"_s;
    for (const char ch : bytes) {
        const uchar b = uchar(ch);
        if (b == '\\')
            out += u"\\\\"_s;
        else if (b == '\'')
            out += u"\\'"_s;
        else if (b == '\n')
            out += u"\\n"_s;
        else if (b == '\t')
            out += u"\\t"_s;
        else if (b == '\r')
            out += u"\\r"_s;
        else if (b >= 0x20 && b < 0x7F)
            out += QLatin1Char(char(b));
        else
            out += u"\\x%1"_s.arg(uint(b), 2, 16, QChar(u'0'));
    }
    return out + u'\'';
}

bool isTokenChar(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isTokenChar);
}

bool isCredentialHeader(QByteArrayView name)
{
    return name.compare("Authorization", Qt::CaseInsensitive) == 0 || name.compare("Proxy-Authorization", Qt::CaseInsensitive) == 0;
}

// -H "Authorization: Bearer $TOKENBENCH_TOKEN": the variable must expand, so that one header is
// double-quoted — and only when every other character in it is inert inside double quotes;
// otherwise the text is single-quoted and only "$VAR" is double-quoted after it.
QString placeholderHeader(const QByteArray &name, const QByteArray &value, const CurlCommand::PrintOptions &options)
{
    const QByteArray trimmed = value.trimmed();
    const qsizetype space = trimmed.indexOf(' ');
    const QByteArray scheme = space > 0 && isToken(QByteArrayView(trimmed).first(space)) ? trimmed.left(space) : QByteArray();
    QString variable = scheme.compare("Bearer", Qt::CaseInsensitive) == 0 ? options.tokenVariable : options.credentialsVariable;
    static const QRegularExpression validName(u"^[A-Za-z_][A-Za-z0-9_]*$"_s);
    if (!validName.match(variable).hasMatch())
        variable = u"TOKENBENCH_TOKEN"_s;
    const QString prefix = QString::fromLatin1(name) + u": "_s + (scheme.isEmpty() ? QString() : QString::fromLatin1(scheme) + u' ');
    static const QRegularExpression inert(u"^[A-Za-z0-9 :._-]*$"_s);
    if (inert.match(prefix).hasMatch())
        return u"\""_s + prefix + u'$' + variable + u'"';
    return CurlCommand::shellQuote(prefix) + u"\"$"_s + variable + u'"';
}

// ---------------------------------------------------------------------------------------------
// Options

enum class Opt {
    Request,
    Header,
    Data, // -d, --data, --data-ascii: '@' reads a file
    DataBinary, // '@' reads a file
    DataRaw, // no '@'
    DataUrlEncode,
    Json,
    Get,
    Head,
    User,
    UserAgent,
    Cookie,
    Referer,
    Url,
    OAuth2Bearer,
    Form,
    FormString,
    Insecure,
    UploadFile,
    Unsupported, // takes an argument that would change the request; said so, ignored
    UnsupportedFlag, // a flag that would change the request; said so, ignored
    Ignored, // takes an argument irrelevant here (output, timing, retries …)
    IgnoredFlag, // a flag irrelevant here (-s, -S, -L, -i, -v, --compressed …)
};

struct OptionInfo
{
    Opt kind;
    bool takesArgument;
};

const QHash<QString, OptionInfo> &longOptions()
{
    static const QHash<QString, OptionInfo> options = [] {
        QHash<QString, OptionInfo> o;
        o.insert(u"request"_s, {Opt::Request, true});
        o.insert(u"header"_s, {Opt::Header, true});
        o.insert(u"data"_s, {Opt::Data, true});
        o.insert(u"data-ascii"_s, {Opt::Data, true});
        o.insert(u"data-binary"_s, {Opt::DataBinary, true});
        o.insert(u"data-raw"_s, {Opt::DataRaw, true});
        o.insert(u"data-urlencode"_s, {Opt::DataUrlEncode, true});
        o.insert(u"json"_s, {Opt::Json, true});
        o.insert(u"get"_s, {Opt::Get, false});
        o.insert(u"head"_s, {Opt::Head, false});
        o.insert(u"user"_s, {Opt::User, true});
        o.insert(u"user-agent"_s, {Opt::UserAgent, true});
        o.insert(u"cookie"_s, {Opt::Cookie, true});
        o.insert(u"referer"_s, {Opt::Referer, true});
        o.insert(u"url"_s, {Opt::Url, true});
        o.insert(u"oauth2-bearer"_s, {Opt::OAuth2Bearer, true});
        o.insert(u"form"_s, {Opt::Form, true});
        o.insert(u"form-string"_s, {Opt::FormString, true});
        o.insert(u"insecure"_s, {Opt::Insecure, false});
        o.insert(u"upload-file"_s, {Opt::UploadFile, true});
        for (const QString &name : {u"proxy"_s, u"proxy-user"_s, u"resolve"_s, u"connect-to"_s, u"cacert"_s, u"capath"_s, u"cert"_s,
                                    u"cert-type"_s, u"key"_s, u"key-type"_s, u"pass"_s, u"unix-socket"_s, u"abstract-unix-socket"_s,
                                    u"aws-sigv4"_s, u"config"_s, u"request-target"_s, u"interface"_s, u"dns-servers"_s, u"pinnedpubkey"_s,
                                    u"crlfile"_s, u"ciphers"_s, u"tls-max"_s, u"noproxy"_s, u"preproxy"_s, u"socks5"_s, u"socks5-hostname"_s,
                                    u"variable"_s, u"expand-url"_s, u"expand-header"_s, u"expand-data"_s})
            o.insert(name, {Opt::Unsupported, true});
        for (const QString &name : {u"digest"_s, u"ntlm"_s, u"negotiate"_s, u"netrc"_s, u"netrc-optional"_s, u"proxy-insecure"_s})
            o.insert(name, {Opt::UnsupportedFlag, false});
        for (const QString &name :
             {u"output"_s, u"write-out"_s, u"max-time"_s, u"connect-timeout"_s, u"retry"_s, u"retry-delay"_s, u"retry-max-time"_s,
              u"max-redirs"_s, u"dump-header"_s, u"cookie-jar"_s, u"limit-rate"_s, u"range"_s, u"time-cond"_s, u"continue-at"_s,
              u"trace"_s, u"trace-ascii"_s, u"stderr"_s, u"local-port"_s, u"keepalive-time"_s, u"expect100-timeout"_s,
              u"happy-eyeballs-timeout-ms"_s, u"speed-limit"_s, u"speed-time"_s, u"max-filesize"_s, u"proto"_s, u"proto-redir"_s,
              u"output-dir"_s, u"create-file-mode"_s, u"parallel-max"_s, u"rate"_s, u"trace-config"_s, u"etag-save"_s,
              u"etag-compare"_s, u"hsts"_s, u"alt-svc"_s})
            o.insert(name, {Opt::Ignored, true});
        for (const QString &name :
             {u"compressed"_s, u"silent"_s, u"show-error"_s, u"location"_s, u"location-trusted"_s, u"include"_s, u"verbose"_s,
              u"fail"_s, u"fail-with-body"_s, u"fail-early"_s, u"http1.0"_s, u"http1.1"_s, u"http2"_s, u"http2-prior-knowledge"_s,
              u"http3"_s, u"http3-only"_s, u"no-progress-meter"_s, u"progress-bar"_s, u"globoff"_s, u"no-buffer"_s, u"no-keepalive"_s,
              u"tcp-nodelay"_s, u"path-as-is"_s, u"ipv4"_s, u"ipv6"_s, u"remote-name"_s, u"remote-name-all"_s,
              u"remote-header-name"_s, u"raw"_s, u"tr-encoding"_s, u"basic"_s, u"anyauth"_s, u"ssl"_s, u"ssl-reqd"_s,
              u"compressed-ssh"_s, u"create-dirs"_s, u"styled-output"_s, u"no-styled-output"_s, u"disable"_s, u"parallel"_s,
              u"remote-time"_s, u"tlsv1"_s, u"tlsv1.0"_s, u"tlsv1.1"_s, u"tlsv1.2"_s, u"tlsv1.3"_s, u"no-alpn"_s, u"no-npn"_s,
              u"no-sessionid"_s, u"ssl-no-revoke"_s, u"xattr"_s, u"show-headers"_s})
            o.insert(name, {Opt::IgnoredFlag, false});
        return o;
    }();
    return options;
}

QString longNameOf(char32_t shortOption)
{
    switch (shortOption) {
    case U'X': return u"request"_s;
    case U'H': return u"header"_s;
    case U'd': return u"data"_s;
    case U'G': return u"get"_s;
    case U'I': return u"head"_s;
    case U'u': return u"user"_s;
    case U'A': return u"user-agent"_s;
    case U'b': return u"cookie"_s;
    case U'e': return u"referer"_s;
    case U'F': return u"form"_s;
    case U'k': return u"insecure"_s;
    case U'T': return u"upload-file"_s;
    case U'x': return u"proxy"_s;
    case U'U': return u"proxy-user"_s;
    case U'E': return u"cert"_s;
    case U'K': return u"config"_s;
    case U'o': return u"output"_s;
    case U'w': return u"write-out"_s;
    case U'm': return u"max-time"_s;
    case U'D': return u"dump-header"_s;
    case U'c': return u"cookie-jar"_s;
    case U'r': return u"range"_s;
    case U'z': return u"time-cond"_s;
    case U'C': return u"continue-at"_s;
    case U'y': return u"speed-time"_s;
    case U'Y': return u"speed-limit"_s;
    case U's': return u"silent"_s;
    case U'S': return u"show-error"_s;
    case U'L': return u"location"_s;
    case U'i': return u"include"_s;
    case U'v': return u"verbose"_s;
    case U'f': return u"fail"_s;
    case U'g': return u"globoff"_s;
    case U'N': return u"no-buffer"_s;
    case U'O': return u"remote-name"_s;
    case U'J': return u"remote-header-name"_s;
    case U'R': return u"remote-time"_s;
    case U'Z': return u"parallel"_s;
    case U'n': return u"netrc"_s;
    case U'0': return u"http1.0"_s;
    case U'1': return u"tlsv1"_s;
    case U'4': return u"ipv4"_s;
    case U'6': return u"ipv6"_s;
    case U'#': return u"progress-bar"_s;
    case U'q': return u"disable"_s;
    default: return {};
    }
}

QString display(const QByteArray &bytes)
{
    QString text = QString::fromUtf8(bytes);
    if (text.size() > 60)
        text = text.left(57) + u"…"_s;
    return text;
}

bool hasHeader(const CurlCommand::Headers &headers, QByteArrayView name)
{
    return std::any_of(headers.cbegin(), headers.cend(),
                       [&](const auto &header) { return QByteArrayView(header.first).compare(name, Qt::CaseInsensitive) == 0; });
}

} // namespace

// ---------------------------------------------------------------------------------------------

QString CurlCommand::shellQuote(const QString &text)
{
    QString out = text;
    out.replace(u'\'', u"'\\''"_s);
    return u'\'' + out + u'\'';
}

std::optional<QList<QByteArray>> CurlCommand::tokenize(const QString &commandLine, QString *error)
{
    const Tokens tokens = tokenizeWords(commandLine);
    if (!tokens.error.isEmpty()) {
        if (error)
            *error = tokens.error;
        return std::nullopt;
    }
    QList<QByteArray> words;
    for (const Word &word : tokens.words)
        words.append(word.text);
    return words;
}

QString CurlCommand::print(const Request &request)
{
    return print(request, PrintOptions());
}

QString CurlCommand::print(const Request &request, const PrintOptions &options)
{
    // The first line says what and where (curl -X 'PUT' 'https://…'); the rest one option a line.
    QString head = u"curl"_s;
    const QString method = request.method.isEmpty() ? u"GET"_s : request.method;
    const bool hasForm = !request.form.isEmpty();
    const bool hasBody = !request.body.isEmpty() || hasForm;
    if (method == u"HEAD"_s && !hasBody)
        head += u" --head"_s; // -X HEAD would make curl wait for a body that never comes
    else if (!((method == u"GET"_s && !hasBody) || (method == u"POST"_s && hasBody)))
        head += u" -X "_s + shellQuote(method);
    // A URL starting with '-' would be read as an option.
    head += request.url.startsWith(u'-') ? u" --url "_s + shellQuote(request.url) : u' ' + shellQuote(request.url);
    QStringList parts{head};
    for (const auto &[name, value] : request.headers) {
        // curl writes the multipart Content-Type itself, with its own boundary.
        if (hasForm && QByteArrayView(name).compare("Content-Type", Qt::CaseInsensitive) == 0
            && value.trimmed().toLower().startsWith("multipart/form-data"))
            continue;
        if (isCredentialHeader(name) && options.credentials == Credentials::Placeholder && !value.trimmed().isEmpty())
            parts.append(u"-H "_s + placeholderHeader(name, value, options));
        else if (value.isEmpty())
            parts.append(u"-H "_s + quoteBytes(name + ';')); // "Name;" is curl for an empty header; "Name:" would remove it
        else
            parts.append(u"-H "_s + quoteBytes(name + ": " + value));
    }
    // --data-raw sends the bytes as given; -d and --data-binary would read a file for "@…".
    for (const FormField &field : request.form) {
        if (field.isFile) {
            // -F reads ;type= and , after the path unless it is in double quotes.
            QString path = field.value;
            if (path.contains(u';') || path.contains(u',') || path.contains(u'"') || path.contains(u'\\'))
                path = u'"' + QString(path).replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s) + u'"';
            parts.append(u"-F "_s + shellQuote(field.name + u"=@"_s + path));
        } else {
            // --form-string: the value as it is, never a file (@, <) nor a ;type=.
            parts.append(u"--form-string "_s + shellQuote(field.name + u'=' + field.value));
        }
    }
    if (!request.body.isEmpty() && !hasForm)
        parts.append(u"--data-raw "_s + quoteBytes(request.body));
    return parts.join(options.multiline ? u" \\\n  "_s : u" "_s);
}

std::optional<CurlCommand::FormField> CurlCommand::parseFormField(const QByteArray &argument, bool literal, QStringList *notes,
                                                                 QString *problem)
{
    const qsizetype eq = argument.indexOf('=');
    if (eq <= 0) {
        *problem = u"“%1” is not name=value"_s.arg(display(argument));
        return std::nullopt;
    }
    if (argument.contains('\0')) {
        *problem = u"“%1” contains a NUL byte, which no command line can pass"_s.arg(display(argument));
        return std::nullopt;
    }
    FormField field;
    field.name = QString::fromUtf8(argument.left(eq));
    QByteArray content = argument.mid(eq + 1);
    if (!literal && (content.startsWith('@') || content.startsWith('<'))) {
        const QByteArray given = content;
        // name=@path[;type=…][;filename=…]: the path (in double quotes it may hold ; and ,); what
        // follows it is curl's.
        if (content.startsWith('<'))
            notes->append(u"“%1” sends a file's content as a text field; it is taken as a file upload"_s.arg(field.name));
        content = content.mid(1);
        if (content.startsWith('"')) {
            QByteArray path;
            for (qsizetype i = 1; i < content.size() && content.at(i) != '"'; ++i) {
                if (content.at(i) == '\\' && i + 1 < content.size())
                    ++i;
                path += content.at(i);
            }
            content = path;
        } else if (const qsizetype semicolon = content.indexOf(';'); semicolon >= 0) {
            notes->append(u"what follows the file name of “%1” (;type=, ;filename=) is not kept"_s.arg(field.name));
            content.truncate(semicolon);
        }
        // Decided on the path as curl reads it: @"-" and @-;type=… read standard input too.
        if (content == "-") {
            *problem = u"a field read from standard input (%1) is not supported"_s.arg(display(given));
            return std::nullopt;
        }
        field.isFile = true;
    } else if (!literal) {
        // -F text;type=…: curl takes the type off the value; parts here have no types of their own.
        static const QRegularExpression type(uR"(;type=[^;]*$)"_s);
        const QString text = QString::fromUtf8(content);
        if (const QRegularExpressionMatch match = type.match(text); match.hasMatch()) {
            notes->append(u"the %1 of “%2” is not kept"_s.arg(match.captured().mid(1), field.name));
            content = text.left(match.capturedStart()).toUtf8();
        }
    }
    field.value = QString::fromUtf8(content);
    return field;
}

CurlCommand::ParseResult CurlCommand::parse(const QString &commandLine)
{
    ParseResult result;
    // Chrome's "Copy as cURL (cmd)" quotes with ^" (the URL right after curl) and continues
    // lines with a trailing ^: another language. A ^" inside a bash word ('{"x":"^"}') is data.
    static const QRegularExpression windowsCmd(u"^\\s*curl(\\.exe)?\\s+\\^\"|\\s\\^\\r?\\n"_s);
    if (windowsCmd.match(commandLine).hasMatch()) {
        result.error = u"This looks like a command for Windows cmd (^ escapes); copy it as cURL (bash) instead."_s;
        return result;
    }
    const Tokens tokens = tokenizeWords(commandLine);
    if (!tokens.error.isEmpty()) {
        result.error = tokens.error;
        return result;
    }
    QList<Word> words = tokens.words;
    // "$ curl …" copied with the prompt.
    if (!words.isEmpty() && !words.first().quoted && (words.first().text == "$" || words.first().text == "%"))
        words.removeFirst();
    if (words.isEmpty()) {
        result.error = u"The command is empty."_s;
        return result;
    }
    const QByteArray program = words.first().text;
    if (!(program == "curl" || program.endsWith("/curl") || program.compare("curl.exe", Qt::CaseInsensitive) == 0
          || program.endsWith("\\curl.exe"))) {
        result.error = u"This is not a curl command: it starts with “%1”."_s.arg(display(program));
        return result;
    }

    QList<Word> args;
    for (qsizetype i = 1; i < words.size(); ++i) {
        if (words.at(i).shellOperator) {
            result.warnings.append(u"Everything from “%1” on was ignored: only the curl command is imported, nothing is run."_s.arg(
                QString::fromUtf8(words.at(i).text)));
            break;
        }
        args.append(words.at(i));
    }
    for (const QString &note : tokens.notes)
        result.warnings.append(note);

    std::optional<QString> explicitMethod;
    QList<QByteArray> urls;
    QByteArray explicitUrl;
    bool hasData = false;
    bool json = false;
    bool get = false;
    bool head = false;
    bool upload = false;
    QByteArray body;
    QByteArray userHeaderValue;
    QList<QByteArray> cookies;
    const auto warn = [&](const QString &text) {
        if (!result.warnings.contains(text))
            result.warnings.append(text);
    };
    const auto addData = [&](const QByteArray &piece, bool separated) {
        if (separated && hasData)
            body += '&';
        body += piece;
        hasData = true;
    };
    const auto fileNotImported = [&](const QString &option, const QByteArray &file) {
        warn(u"%1 reads the file “%2”, which is not imported: paste its content instead."_s.arg(option, display(file)));
    };

    // Headers made from -A, -e, -b, --oauth2-bearer: the same rules as -H.
    const auto addHeader = [&](const QString &shown, const QByteArray &name, const QByteArray &value) {
        if (value.contains('\n') || value.contains('\r')) {
            warn(u"The value of %1 contains a line break and was ignored."_s.arg(shown));
            return;
        }
        if (!value.isEmpty())
            result.headers.append({name, value});
    };

    const auto apply = [&](const QString &shown, Opt kind, const QByteArray &value) {
        switch (kind) {
        case Opt::Request: explicitMethod = QString::fromUtf8(value); break;
        case Opt::Header: {
            if (value.startsWith('@')) {
                fileNotImported(shown, value.mid(1));
                break;
            }
            if (value.contains('\n') || value.contains('\r')) {
                warn(u"The header “%1” contains a line break and was ignored."_s.arg(display(value)));
                break;
            }
            const qsizetype colon = value.indexOf(':');
            const qsizetype semicolon = value.indexOf(';');
            if (colon < 0 && semicolon > 0 && semicolon == value.size() - 1 && isToken(QByteArrayView(value).first(semicolon))) {
                result.headers.append({value.left(semicolon), QByteArray()});
                break;
            }
            if (colon <= 0 || !isToken(QByteArrayView(value).first(colon).trimmed())) {
                warn(u"“%1” is not a header (Name: value) and was ignored."_s.arg(display(value)));
                break;
            }
            const QByteArray name = value.left(colon).trimmed();
            const QByteArray headerValue = value.mid(colon + 1).trimmed();
            if (headerValue.isEmpty()) {
                warn(u"-H “%1:” only stops curl sending its own %1 header; ignored."_s.arg(QString::fromUtf8(name)));
                break;
            }
            result.headers.append({name, headerValue});
            break;
        }
        case Opt::Data:
        case Opt::DataBinary:
            if (value.startsWith('@')) {
                fileNotImported(shown, value.mid(1));
                hasData = true; // still a POST, with a body to fill in
            } else
                addData(value, true);
            break;
        case Opt::DataRaw: addData(value, true); break;
        case Opt::DataUrlEncode: {
            // content | =content | name=content | @file | name@file, as curl reads them.
            const qsizetype eq = value.indexOf('=');
            const qsizetype at = value.indexOf('@');
            if (eq >= 0 && (at < 0 || eq < at)) {
                const QByteArray name = value.left(eq);
                const QByteArray encoded = QUrl::toPercentEncoding(QString::fromUtf8(value.mid(eq + 1)));
                addData(name.isEmpty() ? encoded : name + '=' + encoded, true);
            } else if (at >= 0) {
                fileNotImported(shown, value.mid(at + 1));
                hasData = true;
            } else {
                addData(QUrl::toPercentEncoding(QString::fromUtf8(value)), true);
            }
            break;
        }
        case Opt::Json:
            if (value.startsWith('@')) {
                fileNotImported(shown, value.mid(1));
                hasData = true;
            } else {
                addData(value, false); // curl joins --json pieces with nothing between them
            }
            json = true;
            break;
        case Opt::Get: get = true; break;
        case Opt::Head: head = true; break;
        case Opt::User: {
            QByteArray credentials = value;
            if (!credentials.contains(':')) {
                warn(u"-u gives no password (curl would ask for one); it was imported with an empty password."_s);
                credentials += ':';
            }
            userHeaderValue = "Basic " + credentials.toBase64();
            result.headers.append({"Authorization", userHeaderValue});
            break;
        }
        case Opt::UserAgent: addHeader(shown, "User-Agent", value.trimmed()); break;
        case Opt::Cookie:
            if (value.contains('='))
                cookies.append(value.trimmed());
            else
                warn(u"%1 reads cookies from the file “%2”, which is not imported."_s.arg(shown, display(value)));
            break;
        case Opt::Referer: addHeader(shown, "Referer", value.trimmed()); break;
        case Opt::Url:
            if (explicitUrl.isEmpty())
                explicitUrl = value;
            else
                urls.append(value);
            break;
        case Opt::OAuth2Bearer:
            if (!value.trimmed().isEmpty())
                addHeader(shown, "Authorization", "Bearer " + value.trimmed());
            break;
        case Opt::Form:
        case Opt::FormString: {
            QStringList notes;
            QString problem;
            if (const auto field = parseFormField(value, kind == Opt::FormString, &notes, &problem))
                result.form.append(*field);
            else
                warn(u"%1: %2; it was ignored."_s.arg(shown, problem));
            for (const QString &note : std::as_const(notes))
                warn(u"%1: %2."_s.arg(shown, note));
            break;
        }
        case Opt::Insecure: warn(u"TLS verification cannot be turned off in Tokenbench: %1 was ignored."_s.arg(shown)); break;
        case Opt::UploadFile:
            upload = true;
            fileNotImported(shown, value);
            break;
        case Opt::Unsupported:
        case Opt::UnsupportedFlag: warn(u"%1 is not supported by Tokenbench and was ignored."_s.arg(shown)); break;
        case Opt::Ignored:
        case Opt::IgnoredFlag: break;
        }
    };

    for (qsizetype i = 0; i < args.size(); ++i) {
        const QByteArray arg = args.at(i).text;
        const auto nextValue = [&](const QString &shown, QByteArray *value) {
            if (i + 1 >= args.size()) {
                warn(u"%1 needs a value and has none; it was ignored."_s.arg(shown));
                return false;
            }
            *value = args.at(++i).text;
            return true;
        };

        if (arg.startsWith("--") && arg.size() > 2) {
            QString name = QString::fromUtf8(arg.mid(2));
            std::optional<QByteArray> inlineValue;
            const qsizetype eq = name.indexOf(u'=');
            if (!longOptions().contains(name) && eq > 0 && longOptions().contains(name.left(eq))) {
                inlineValue = arg.mid(2 + name.left(eq).toUtf8().size() + 1);
                name = name.left(eq);
            }
            bool negated = false;
            if (!longOptions().contains(name) && name.startsWith(u"no-"_s) && longOptions().contains(name.mid(3))
                && !longOptions().value(name.mid(3)).takesArgument) {
                negated = true; // --no-compressed, --no-location …: switching a flag off
            }
            const QString shown = u"--"_s + name;
            if (negated)
                continue;
            if (!longOptions().contains(name)) {
                warn(u"Unknown option %1 was ignored."_s.arg(shown));
                continue;
            }
            const OptionInfo info = longOptions().value(name);
            QByteArray value;
            if (info.takesArgument) {
                if (inlineValue)
                    value = *inlineValue;
                else if (!nextValue(shown, &value))
                    continue;
            }
            apply(shown, info.kind, value);
            continue;
        }

        if (arg.startsWith('-') && arg.size() > 1 && !args.at(i).shellOperator) {
            // A cluster: -sSL, -XPOST, -sXPOST, -H'…' (already unquoted). Short options are
            // ASCII; the value attached to the last one is the rest of the word, byte for byte.
            for (qsizetype k = 1; k < arg.size(); ++k) {
                const char letter = arg.at(k);
                if (uchar(letter) >= 0x80) {
                    warn(u"Unknown option in “%1” was ignored."_s.arg(display(arg)));
                    break;
                }
                const QString shown = u"-"_s + QLatin1Char(letter);
                const QString name = longNameOf(char32_t(letter));
                if (name.isEmpty() || !longOptions().contains(name)) {
                    warn(u"Unknown option %1 was ignored."_s.arg(shown));
                    continue;
                }
                const OptionInfo info = longOptions().value(name);
                if (!info.takesArgument) {
                    apply(shown, info.kind, {});
                    continue;
                }
                QByteArray value;
                if (k + 1 < arg.size())
                    value = arg.mid(k + 1);
                else if (!nextValue(shown, &value))
                    break;
                apply(shown, info.kind, value);
                break;
            }
            continue;
        }
        urls.append(arg);
    }

    if (!result.form.isEmpty() && (hasData || !body.isEmpty())) {
        warn(u"curl refuses -F together with -d; the form was imported and the data dropped."_s);
        body.clear();
        hasData = false;
    }

    // The URL: --url first, else the first argument that is not an option.
    if (!explicitUrl.isEmpty())
        urls.prepend(explicitUrl);
    if (urls.isEmpty()) {
        result.error = u"The command has no URL."_s;
        return result;
    }
    if (urls.first().trimmed().isEmpty()) {
        result.error = u"The URL is empty."_s;
        return result;
    }
    for (qsizetype i = 1; i < urls.size(); ++i)
        warn(u"Only one URL is imported; “%1” was ignored."_s.arg(display(urls.at(i))));
    QString url = QString::fromUtf8(urls.first());
    if (!url.contains(u"://"_s) && !url.startsWith(u'/') && !url.startsWith(u"{{"_s))
        warn(u"The URL “%1” has no scheme; curl would assume http://."_s.arg(display(urls.first())));

    if (get && hasData) {
        // -G: the data becomes the query, before any fragment.
        const qsizetype hash = url.indexOf(u'#');
        const QString fragment = hash >= 0 ? url.mid(hash) : QString();
        if (hash >= 0)
            url.truncate(hash);
        url += (url.contains(u'?') ? u'&' : u'?') + QString::fromUtf8(body) + fragment;
        body.clear();
    }
    // No URL holds a line break or another control character (-G data included); curl would refuse it too.
    if (std::any_of(url.cbegin(), url.cend(), [](QChar c) { return c.unicode() < 0x20 || c.unicode() == 0x7f; })) {
        result.error = u"The URL contains a line break or another control character."_s;
        return result;
    }
    result.url = url;

    if (!cookies.isEmpty())
        addHeader(u"-b"_s, "Cookie", cookies.join("; "));
    if (!userHeaderValue.isEmpty()) {
        // An explicit -H Authorization wins over -u, as in curl.
        qsizetype explicitAuth = 0;
        for (const auto &header : std::as_const(result.headers)) {
            if (QByteArrayView(header.first).compare("Authorization", Qt::CaseInsensitive) == 0 && header.second != userHeaderValue)
                ++explicitAuth;
        }
        if (explicitAuth > 0) {
            result.headers.removeIf([&](const auto &header) { return header.first == "Authorization" && header.second == userHeaderValue; });
            warn(u"-u was ignored: the command also sets an Authorization header."_s);
        }
    }
    if (json) {
        if (!hasHeader(result.headers, "Content-Type"))
            result.headers.append({QByteArray("Content-Type"), QByteArray("application/json")});
        if (!hasHeader(result.headers, "Accept"))
            result.headers.append({QByteArray("Accept"), QByteArray("application/json")});
    }

    if (explicitMethod) {
        result.method = *explicitMethod;
        if (!isToken(result.method.toUtf8())) {
            result.error = u"“%1” is not an HTTP method."_s.arg(result.method);
            return result;
        }
    } else if (head) {
        result.method = u"HEAD"_s;
    } else if (upload) {
        result.method = u"PUT"_s;
    } else if ((hasData || !result.form.isEmpty()) && !get) {
        result.method = u"POST"_s;
    } else {
        result.method = u"GET"_s;
    }
    result.body = body;

    for (const auto &header : std::as_const(result.headers)) {
        if (QByteArrayView(header.first).compare("Content-Type", Qt::CaseInsensitive) == 0)
            result.contentType = header.second;
    }
    if (result.contentType.isEmpty() && !result.form.isEmpty())
        result.contentType = "multipart/form-data";
    else if (result.contentType.isEmpty() && hasData && !get)
        result.contentType = json ? "application/json" : "application/x-www-form-urlencoded";
    return result;
}
