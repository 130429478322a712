#include "json/JsonTreeModel.h"

#include <QLocale>

#include <algorithm>
#include <cstring>
#include <limits>
#include <new>

using namespace Qt::StringLiterals;

namespace {
using Type = JsonTreeModel::Type;
using Error = JsonTreeModel::Error;

// The error row has no node behind it.
constexpr quintptr ErrorRowId = std::numeric_limits<quintptr>::max();
// A view cell shows at most this much of a key or a string; a 5 MB string would otherwise be
// decoded and elided on every paint.
constexpr qsizetype DisplayChars = 1000;
constexpr qsizetype ToolTipChars = 4000;

bool isWhitespace(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

bool isDigit(char c)
{
    return c >= '0' && c <= '9';
}

int hexValue(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

quint8 byteAt(const char *data, qsizetype pos)
{
    return static_cast<quint8>(data[pos]);
}

// Length of the well-formed UTF-8 sequence at pos (RFC 3629: no overlongs, no surrogates,
// nothing above U+10FFFF), or 0 when it is not one.
int utf8SequenceLength(const char *data, qsizetype pos, qsizetype size)
{
    const quint8 lead = byteAt(data, pos);
    int length = 0;
    quint8 low = 0x80;
    quint8 high = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0)
            low = 0xa0;
        else if (lead == 0xed)
            high = 0x9f;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0)
            low = 0x90;
        else if (lead == 0xf4)
            high = 0x8f;
    } else {
        return 0;
    }
    if (pos + length > size)
        return 0;
    const quint8 second = byteAt(data, pos + 1);
    if (second < low || second > high)
        return 0;
    for (int i = 2; i < length; ++i) {
        if ((byteAt(data, pos + i) & 0xc0) != 0x80)
            return 0;
    }
    return length;
}

// Length of the string token (both quotes included) that opens at pos. The token was validated
// by the parser, so this only has to skip escapes.
qsizetype stringTokenLength(const char *data, qsizetype pos)
{
    qsizetype i = pos + 1;
    for (;;) {
        const char c = data[i];
        if (c == '"')
            return i + 1 - pos;
        i += c == '\\' ? 2 : 1;
    }
}

// Decodes the inside of a validated string token, stopping once maxChars UTF-16 units are out.
QString decodeString(const char *begin, qsizetype length, bool escaped, qsizetype maxChars)
{
    if (!escaped) {
        // UTF-8 needs at most 3 bytes per UTF-16 unit; cut on a character boundary.
        qsizetype take = std::min(length, maxChars > length / 3 ? length : maxChars * 3);
        while (take < length && (byteAt(begin, take) & 0xc0) == 0x80)
            --take;
        QString text = QString::fromUtf8(begin, take);
        if (text.size() > maxChars)
            text.truncate(maxChars);
        return text;
    }
    QString text;
    text.reserve(std::min(length, maxChars));
    qsizetype i = 0;
    while (i < length && text.size() < maxChars) {
        // No further than what can still be shown, so a huge string costs its displayed part only.
        const qsizetype room = maxChars - text.size();
        const qsizetype limit = room > (length - i) / 3 ? length : std::min(length, i + room * 3 + 3);
        qsizetype run = i;
        while (run < limit && begin[run] != '\\')
            ++run;
        while (run < length && run > i && begin[run] != '\\' && (byteAt(begin, run) & 0xc0) == 0x80)
            --run;
        if (run > i) {
            text += QString::fromUtf8(begin + i, run - i);
            i = run;
            continue;
        }
        if (begin[i] != '\\')
            break;
        const char kind = begin[i + 1];
        i += 2;
        switch (kind) {
        case 'b': text += u'\b'; break;
        case 'f': text += u'\f'; break;
        case 'n': text += u'\n'; break;
        case 'r': text += u'\r'; break;
        case 't': text += u'\t'; break;
        case 'u': {
            char16_t unit = 0;
            for (int k = 0; k < 4; ++k)
                unit = char16_t(unit * 16 + hexValue(begin[i + k]));
            i += 4;
            if (QChar::isHighSurrogate(unit) && i + 6 <= length && begin[i] == '\\' && begin[i + 1] == 'u') {
                char16_t low = 0;
                for (int k = 0; k < 4; ++k)
                    low = char16_t(low * 16 + hexValue(begin[i + 2 + k]));
                if (QChar::isLowSurrogate(low)) {
                    text += QChar(unit);
                    text += QChar(low);
                    i += 6;
                    break;
                }
            }
            // JSON allows lone surrogates in escapes; UTF-16 text cannot carry them.
            text += QChar::isSurrogate(unit) ? QChar(QChar::ReplacementCharacter) : QChar(unit);
            break;
        }
        default: // '"', '\\', '/'
            text += QLatin1Char(kind);
            break;
        }
    }
    if (text.size() > maxChars)
        text.truncate(maxChars);
    return text;
}

// Keys that read as identifiers are written $.name, the others $["name"].
bool isIdentifier(const QString &key)
{
    if (key.isEmpty() || key.front().isDigit())
        return false;
    return std::all_of(key.cbegin(), key.cend(), [](QChar c) { return c.isLetterOrNumber() || c == u'_'; });
}

QString elided(QString text, qsizetype maxChars)
{
    if (text.size() >= maxChars) {
        text.truncate(maxChars);
        text += u'…';
    }
    return text;
}
} // namespace

// Builds a Tree in one pass with an explicit stack (no recursion, so hostile nesting cannot
// overflow the thread's stack). Children of a container are collected on m_pending while it is
// open and moved into the tree as one block when it closes, which makes each container's
// children contiguous: index() and parent() are then O(1) without a per-node child list.
class JsonTreeParser
{
public:
    using Tree = JsonTreeModel::Tree;
    using Node = Tree::Node;

    JsonTreeParser(Tree &tree, const JsonTreeModel::ParseOptions &options, const std::function<bool()> &isCanceled)
        : m_tree(tree)
        , m_data(tree.m_source.constData())
        , m_size(tree.m_source.size())
        , m_options(options)
        , m_isCanceled(isCanceled)
    {
    }

    void run()
    {
        try {
            parse();
        } catch (const std::bad_alloc &) {
            m_tree.m_nodes = {};
            fail(Error::TooLarge, m_pos, JsonTreeModel::tr("Not enough memory to build the tree of this document."));
        }
        if (m_tree.m_error != Error::None)
            m_tree.m_nodes = {};
    }

private:
    struct Frame
    {
        qsizetype self; // index of the container's own node in m_pending; -1 for the root
        qsizetype childrenStart;
        bool isObject;
    };

    void parse()
    {
        if (m_size >= qsizetype(std::numeric_limits<quint32>::max())) {
            fail(Error::TooLarge, 0, JsonTreeModel::tr("The document is too large for the tree view (4 GB or more)."));
            return;
        }
        // Not JSON, but some servers send one; the text views show it anyway.
        if (m_size >= 3 && std::memcmp(m_data, "\xef\xbb\xbf", 3) == 0)
            m_pos = 3;
        skipWhitespace();
        if (m_pos == m_size) {
            fail(Error::Empty, m_pos, JsonTreeModel::tr("The body is empty."));
            return;
        }
        // A reasonable guess that saves most of the vector's regrowth copies on a big body;
        // untouched capacity costs address space, not memory.
        m_tree.m_nodes.reserve(size_t(std::min<qsizetype>(m_options.maxValues, m_size / 16 + 16)));

        quint32 key = Tree::NoKey;
        quint8 keyFlags = 0;
        for (;;) {
            // A value starts here: at the top, after '[', after ',' in an array, or after "key":.
            skipWhitespace();
            if (m_pos >= m_size)
                return failAtEnd(JsonTreeModel::tr("a value"));
            if (++m_values > m_options.maxValues) {
                fail(Error::TooManyValues, m_pos,
                     JsonTreeModel::tr("The document has more than %L1 values, too many for the tree view.").arg(m_options.maxValues));
                return;
            }
            if ((m_values & 0xffff) == 0 && m_isCanceled && m_isCanceled()) {
                fail(Error::Canceled, m_pos, JsonTreeModel::tr("Canceled."));
                return;
            }
            Node node;
            node.keyBegin = key;
            node.flags = keyFlags;
            node.valueBegin = quint32(m_pos);
            key = Tree::NoKey;
            keyFlags = 0;

            const char c = m_data[m_pos];
            if (c == '{' || c == '[') {
                if (qsizetype(m_stack.size()) >= m_options.maxDepth) {
                    fail(Error::TooDeep, m_pos,
                         JsonTreeModel::tr("The document is nested more than %L1 levels deep; the tree view refuses it.").arg(m_options.maxDepth));
                    return;
                }
                const bool isObject = c == '{';
                node.type = isObject ? Type::Object : Type::Array;
                qsizetype self = -1;
                if (m_stack.empty()) {
                    m_root = node;
                } else {
                    self = qsizetype(m_pending.size());
                    m_pending.push_back(node);
                }
                m_stack.push_back(Frame{self, qsizetype(m_pending.size()), isObject});
                m_tree.m_maxDepth = std::max(m_tree.m_maxDepth, int(m_stack.size()));
                ++m_pos;
                skipWhitespace();
                if (m_pos < m_size && m_data[m_pos] == (isObject ? '}' : ']')) {
                    ++m_pos;
                    closeContainer();
                } else if (isObject) {
                    if (!readKey(key, keyFlags))
                        return;
                    continue;
                } else {
                    continue;
                }
            } else {
                if (c == '"') {
                    bool escaped = false;
                    if (!scanString(escaped))
                        return;
                    node.type = Type::String;
                    if (escaped)
                        node.flags |= Tree::ValueEscaped;
                } else if (c == 't' || c == 'f' || c == 'n') {
                    if (!scanLiteral(node.type))
                        return;
                } else if (c == '-' || isDigit(c)) {
                    if (!scanNumber())
                        return;
                    node.type = Type::Number;
                } else if (c == ']' || c == '}') {
                    fail(Error::Syntax, m_pos, JsonTreeModel::tr("Expected a value; JSON allows no comma before '%1'.").arg(QLatin1Char(c)));
                    return;
                } else {
                    fail(Error::Syntax, m_pos, JsonTreeModel::tr("Expected a value, found %1.").arg(describe(m_pos)));
                    return;
                }
                node.a = quint32(m_pos - node.valueBegin);
                if (m_stack.empty())
                    m_root = node;
                else
                    m_pending.push_back(node);
            }

            // After a value: a separator, a closing bracket, or the end of the document.
            for (;;) {
                skipWhitespace();
                if (m_stack.empty()) {
                    if (m_pos != m_size) {
                        fail(Error::Syntax, m_pos, JsonTreeModel::tr("Unexpected %1 after the end of the JSON document.").arg(describe(m_pos)));
                        return;
                    }
                    finish();
                    return;
                }
                const bool isObject = m_stack.back().isObject;
                if (m_pos >= m_size)
                    return failAtEnd(isObject ? JsonTreeModel::tr("',' or '}'") : JsonTreeModel::tr("',' or ']'"));
                const char next = m_data[m_pos];
                if (next == ',') {
                    ++m_pos;
                    if (isObject && !readKey(key, keyFlags))
                        return;
                    break;
                }
                if (next == (isObject ? '}' : ']')) {
                    ++m_pos;
                    closeContainer();
                    continue;
                }
                fail(Error::Syntax, m_pos,
                     isObject ? JsonTreeModel::tr("Expected ',' or '}' after an object member, found %1.").arg(describe(m_pos))
                              : JsonTreeModel::tr("Expected ',' or ']' after an array item, found %1.").arg(describe(m_pos)));
                return;
            }
        }
    }

    void skipWhitespace()
    {
        while (m_pos < m_size && isWhitespace(m_data[m_pos]))
            ++m_pos;
    }

    bool readKey(quint32 &key, quint8 &flags)
    {
        skipWhitespace();
        if (m_pos >= m_size) {
            failAtEnd(JsonTreeModel::tr("a key"));
            return false;
        }
        if (m_data[m_pos] != '"') {
            if (m_data[m_pos] == '}')
                fail(Error::Syntax, m_pos, JsonTreeModel::tr("Expected a key; JSON allows no comma before '}'."));
            else
                fail(Error::Syntax, m_pos, JsonTreeModel::tr("Expected a key in double quotes, found %1.").arg(describe(m_pos)));
            return false;
        }
        key = quint32(m_pos);
        bool escaped = false;
        if (!scanString(escaped))
            return false;
        flags = escaped ? Tree::KeyEscaped : 0;
        skipWhitespace();
        if (m_pos >= m_size) {
            failAtEnd(JsonTreeModel::tr("':'"));
            return false;
        }
        if (m_data[m_pos] != ':') {
            fail(Error::Syntax, m_pos, JsonTreeModel::tr("Expected ':' after a key, found %1.").arg(describe(m_pos)));
            return false;
        }
        ++m_pos;
        return true;
    }

    // At the opening quote; leaves m_pos after the closing one.
    bool scanString(bool &escaped)
    {
        const qsizetype start = m_pos;
        ++m_pos;
        for (;;) {
            // The common case: plain ASCII.
            while (m_pos < m_size) {
                const quint8 c = byteAt(m_data, m_pos);
                if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80)
                    break;
                ++m_pos;
            }
            if (m_pos >= m_size) {
                fail(Error::Syntax, start, JsonTreeModel::tr("A string is not closed."));
                return false;
            }
            const quint8 c = byteAt(m_data, m_pos);
            if (c == '"') {
                ++m_pos;
                return true;
            }
            if (c == '\\') {
                escaped = true;
                if (m_pos + 1 >= m_size) {
                    fail(Error::Syntax, start, JsonTreeModel::tr("A string is not closed."));
                    return false;
                }
                const char kind = m_data[m_pos + 1];
                if (kind == 'u') {
                    for (int k = 0; k < 4; ++k) {
                        if (m_pos + 2 + k >= m_size || hexValue(m_data[m_pos + 2 + k]) < 0) {
                            fail(Error::Syntax, m_pos, JsonTreeModel::tr("A \\u escape needs four hexadecimal digits."));
                            return false;
                        }
                    }
                    m_pos += 6;
                } else if (kind != '\0' && std::strchr("\"\\/bfnrt", kind)) {
                    m_pos += 2;
                } else {
                    fail(Error::Syntax, m_pos, JsonTreeModel::tr("Invalid escape sequence in a string."));
                    return false;
                }
                continue;
            }
            if (c < 0x20) {
                fail(Error::Syntax, m_pos, JsonTreeModel::tr("A control character (U+%1) must be escaped inside a string.")
                                               .arg(int(c), 4, 16, QLatin1Char('0')));
                return false;
            }
            const int length = utf8SequenceLength(m_data, m_pos, m_size);
            if (length == 0) {
                fail(Error::Syntax, m_pos, JsonTreeModel::tr("A string is not valid UTF-8."));
                return false;
            }
            m_pos += length;
        }
    }

    bool scanNumber()
    {
        const qsizetype start = m_pos;
        if (m_data[m_pos] == '-')
            ++m_pos;
        if (m_pos >= m_size || !isDigit(m_data[m_pos])) {
            fail(Error::Syntax, start, JsonTreeModel::tr("A number needs a digit after '-'."));
            return false;
        }
        if (m_data[m_pos] == '0') {
            ++m_pos;
            if (m_pos < m_size && isDigit(m_data[m_pos])) {
                fail(Error::Syntax, start, JsonTreeModel::tr("Numbers in JSON have no leading zeros."));
                return false;
            }
        } else {
            while (m_pos < m_size && isDigit(m_data[m_pos]))
                ++m_pos;
        }
        if (m_pos < m_size && m_data[m_pos] == '.') {
            ++m_pos;
            if (m_pos >= m_size || !isDigit(m_data[m_pos])) {
                fail(Error::Syntax, start, JsonTreeModel::tr("A number needs digits after its decimal point."));
                return false;
            }
            while (m_pos < m_size && isDigit(m_data[m_pos]))
                ++m_pos;
        }
        if (m_pos < m_size && (m_data[m_pos] == 'e' || m_data[m_pos] == 'E')) {
            ++m_pos;
            if (m_pos < m_size && (m_data[m_pos] == '+' || m_data[m_pos] == '-'))
                ++m_pos;
            if (m_pos >= m_size || !isDigit(m_data[m_pos])) {
                fail(Error::Syntax, start, JsonTreeModel::tr("A number needs digits in its exponent."));
                return false;
            }
            while (m_pos < m_size && isDigit(m_data[m_pos]))
                ++m_pos;
        }
        return true;
    }

    bool scanLiteral(Type &type)
    {
        static constexpr struct
        {
            const char *text;
            qsizetype length;
            Type type;
        } literals[] = {{"true", 4, Type::Boolean}, {"false", 5, Type::Boolean}, {"null", 4, Type::Null}};
        for (const auto &literal : literals) {
            if (m_pos + literal.length <= m_size && std::memcmp(m_data + m_pos, literal.text, size_t(literal.length)) == 0) {
                m_pos += literal.length;
                type = literal.type;
                return true;
            }
        }
        fail(Error::Syntax, m_pos, JsonTreeModel::tr("Expected a value, found %1.").arg(describe(m_pos)));
        return false;
    }

    void closeContainer()
    {
        const Frame frame = m_stack.back();
        m_stack.pop_back();
        const auto first = m_tree.m_nodes.size();
        const auto begin = m_pending.begin() + frame.childrenStart;
        m_tree.m_nodes.insert(m_tree.m_nodes.end(), begin, m_pending.end());
        const auto count = m_tree.m_nodes.size() - first;
        // The children's own children went in earlier and only now learn where their parent is.
        for (auto i = first; i < m_tree.m_nodes.size(); ++i)
            adopt(i);
        m_pending.erase(begin, m_pending.end());
        Node &self = frame.self < 0 ? m_root : m_pending[size_t(frame.self)];
        self.a = quint32(first);
        self.b = quint32(count);
    }

    void adopt(size_t index)
    {
        const Node &node = m_tree.m_nodes[index];
        if (node.type != Type::Array && node.type != Type::Object)
            return;
        for (auto child = size_t(node.a); child < size_t(node.a) + node.b; ++child)
            m_tree.m_nodes[child].parent = qint32(index);
    }

    void finish()
    {
        m_root.parent = Tree::NoNode;
        m_tree.m_nodes.push_back(m_root);
        adopt(m_tree.m_nodes.size() - 1);
    }

    // "'x'", "the byte 0xFF", "the end of the document": what the error message says was found.
    QString describe(qsizetype pos) const
    {
        if (pos >= m_size)
            return JsonTreeModel::tr("the end of the body");
        const quint8 c = byteAt(m_data, pos);
        if (c >= 0x21 && c < 0x7f)
            return u"'%1'"_s.arg(QLatin1Char(char(c)));
        return JsonTreeModel::tr("the byte 0x%1").arg(int(c), 2, 16, QLatin1Char('0'));
    }

    void failAtEnd(const QString &expected)
    {
        fail(Error::Syntax, m_size, JsonTreeModel::tr("The body ends where %1 was expected.").arg(expected));
    }

    void fail(Error error, qsizetype offset, const QString &message)
    {
        m_tree.m_error = error;
        m_tree.m_errorOffset = offset;
        const qsizetype end = std::min(offset, m_size);
        const auto lines = std::count(m_data, m_data + end, '\n');
        qsizetype lineStart = end;
        while (lineStart > 0 && m_data[lineStart - 1] != '\n')
            --lineStart;
        m_tree.m_errorLine = int(lines) + 1;
        m_tree.m_errorColumn = int(end - lineStart) + 1;
        if (error == Error::Syntax) {
            m_tree.m_errorString = JsonTreeModel::tr("Not valid JSON at line %L1, column %L2: %3")
                                       .arg(m_tree.m_errorLine)
                                       .arg(m_tree.m_errorColumn)
                                       .arg(message);
        } else {
            m_tree.m_errorString = message;
        }
    }

    Tree &m_tree;
    const char *m_data;
    qsizetype m_size;
    const JsonTreeModel::ParseOptions &m_options;
    const std::function<bool()> &m_isCanceled;
    qsizetype m_pos = 0;
    qsizetype m_values = 0;
    std::vector<Node> m_pending;
    std::vector<Frame> m_stack;
    Node m_root;
};

// ---- Tree ----

bool JsonTreeModel::Tree::isContainer(int node) const
{
    const Type t = type(node);
    return t == Type::Array || t == Type::Object;
}

int JsonTreeModel::Tree::childCount(int node) const
{
    return isContainer(node) ? int(m_nodes[size_t(node)].b) : 0;
}

int JsonTreeModel::Tree::child(int node, int row) const
{
    return int(m_nodes[size_t(node)].a) + row;
}

qsizetype JsonTreeModel::Tree::sourceOffset(int node) const
{
    const Node &n = m_nodes[size_t(node)];
    return n.keyBegin != NoKey ? qsizetype(n.keyBegin) : qsizetype(n.valueBegin);
}

int JsonTreeModel::Tree::row(int node) const
{
    const int up = parent(node);
    return up == NoNode ? 0 : node - int(m_nodes[size_t(up)].a);
}

QString JsonTreeModel::Tree::key(int node) const
{
    const Node &n = m_nodes[size_t(node)];
    if (n.keyBegin == NoKey)
        return {};
    const char *data = m_source.constData();
    const qsizetype length = stringTokenLength(data, n.keyBegin);
    return decodeString(data + n.keyBegin + 1, length - 2, n.flags & KeyEscaped, std::numeric_limits<qsizetype>::max());
}

QString JsonTreeModel::Tree::scalarText(int node) const
{
    const Node &n = m_nodes[size_t(node)];
    const char *data = m_source.constData() + n.valueBegin;
    switch (n.type) {
    case Type::String:
        return decodeString(data + 1, qsizetype(n.a) - 2, n.flags & ValueEscaped, std::numeric_limits<qsizetype>::max());
    case Type::Number:
    case Type::Boolean:
    case Type::Null:
        return QString::fromLatin1(data, qsizetype(n.a));
    case Type::Array:
    case Type::Object:
    case Type::Error:
        break;
    }
    return {};
}

qsizetype JsonTreeModel::Tree::rawLength(int node) const
{
    const char *data = m_source.constData();
    // Down the last children to a scalar or an empty container, then back up over the closing
    // brackets: O(depth), without rescanning the container's text.
    int levels = 0;
    int last = node;
    while (isContainer(last) && childCount(last) > 0) {
        last = child(last, childCount(last) - 1);
        ++levels;
    }
    const Node &n = m_nodes[size_t(last)];
    qsizetype end = n.valueBegin;
    if (isContainer(last)) {
        ++end;
        while (isWhitespace(data[end]))
            ++end;
        ++end;
    } else {
        end += n.a;
    }
    for (int i = 0; i < levels; ++i) {
        while (isWhitespace(data[end]))
            ++end;
        ++end;
    }
    return end - m_nodes[size_t(node)].valueBegin;
}

QByteArray JsonTreeModel::Tree::rawJson(int node) const
{
    return m_source.mid(m_nodes[size_t(node)].valueBegin, rawLength(node));
}

QString JsonTreeModel::Tree::path(int node) const
{
    QStringList segments;
    for (int n = node; parent(n) != NoNode; n = parent(n)) {
        if (type(parent(n)) == Type::Array) {
            segments.append(u"[%1]"_s.arg(row(n)));
        } else {
            const QString name = key(n);
            if (isIdentifier(name)) {
                segments.append(u'.' + name);
            } else {
                QString quoted = name;
                quoted.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
                segments.append(u"[\"%1\"]"_s.arg(quoted));
            }
        }
    }
    std::reverse(segments.begin(), segments.end());
    return u'$' + segments.join(QString());
}

// ---- model ----

JsonTreeModel::TreePtr JsonTreeModel::parse(const QByteArray &json)
{
    return parse(json, ParseOptions());
}

JsonTreeModel::TreePtr JsonTreeModel::parse(const QByteArray &json, const ParseOptions &options, const std::function<bool()> &isCanceled)
{
    auto tree = std::make_shared<Tree>();
    tree->m_source = json;
    JsonTreeParser(*tree, options, isCanceled).run();
    return tree;
}

JsonTreeModel::JsonTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
{
}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::setTree(TreePtr tree)
{
    beginResetModel();
    m_tree = std::move(tree);
    m_fetched.clear();
    endResetModel();
}

void JsonTreeModel::setBatchSize(int rows)
{
    m_batchSize = std::max(1, rows);
}

QModelIndex JsonTreeModel::rootIndex() const
{
    return index(0, 0);
}

QModelIndex JsonTreeModel::indexOfNode(int node)
{
    if (!m_tree || !m_tree->isValid() || node < 0 || node >= m_tree->valueCount())
        return {};
    std::vector<int> chain; // node, its parent, …, up to the root's child
    for (int at = node; m_tree->parent(at) != Tree::NoNode; at = m_tree->parent(at))
        chain.push_back(at);
    QModelIndex index = rootIndex();
    for (auto at = chain.crbegin(); at != chain.crend() && index.isValid(); ++at) {
        const int row = m_tree->row(*at);
        while (row >= rowCount(index) && canFetchMore(index))
            fetchMore(index);
        index = this->index(row, 0, index);
    }
    return index;
}

int JsonTreeModel::nodeOf(const QModelIndex &index) const
{
    if (!index.isValid() || index.internalId() == ErrorRowId)
        return Tree::NoNode;
    return int(index.internalId());
}

int JsonTreeModel::exposedRows(int node) const
{
    const int total = m_tree->childCount(node);
    return m_fetched.value(node, std::min(total, m_batchSize));
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!m_tree || row < 0 || column < 0 || column >= ColumnCount)
        return {};
    if (!parent.isValid()) {
        if (row != 0)
            return {};
        if (!m_tree->isValid())
            return m_tree->error() == Error::Empty ? QModelIndex() : createIndex(0, column, ErrorRowId);
        return createIndex(0, column, quintptr(m_tree->root()));
    }
    const int node = nodeOf(parent);
    if (node == Tree::NoNode || parent.column() != 0 || row >= exposedRows(node))
        return {};
    return createIndex(row, column, quintptr(m_tree->child(node, row)));
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    const int node = nodeOf(child);
    if (node == Tree::NoNode)
        return {};
    const int up = m_tree->parent(node);
    if (up == Tree::NoNode)
        return {};
    return createIndex(m_tree->row(up), 0, quintptr(up));
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (!m_tree)
        return 0;
    if (!parent.isValid())
        return m_tree->isValid() || m_tree->error() != Error::Empty ? 1 : 0;
    const int node = nodeOf(parent);
    if (node == Tree::NoNode || parent.column() != 0)
        return 0;
    return exposedRows(node);
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

bool JsonTreeModel::hasChildren(const QModelIndex &parent) const
{
    if (!parent.isValid())
        return rowCount() > 0;
    const int node = nodeOf(parent);
    // True before anything is fetched, so the view draws an expander.
    return node != Tree::NoNode && parent.column() == 0 && m_tree->childCount(node) > 0;
}

bool JsonTreeModel::canFetchMore(const QModelIndex &parent) const
{
    const int node = nodeOf(parent);
    if (node == Tree::NoNode || parent.column() != 0)
        return false;
    return exposedRows(node) < m_tree->childCount(node);
}

void JsonTreeModel::fetchMore(const QModelIndex &parent)
{
    if (!canFetchMore(parent))
        return;
    const int node = nodeOf(parent);
    const int have = exposedRows(node);
    const int more = std::min(m_batchSize, m_tree->childCount(node) - have);
    beginInsertRows(parent, have, have + more - 1);
    m_fetched.insert(node, have + more);
    endInsertRows();
}

QString JsonTreeModel::typeName(Type type)
{
    switch (type) {
    case Type::Null: return tr("null");
    case Type::Boolean: return tr("boolean");
    case Type::Number: return tr("number");
    case Type::String: return tr("string");
    case Type::Array: return tr("array");
    case Type::Object: return tr("object");
    case Type::Error: return tr("error");
    }
    return {};
}

QString JsonTreeModel::valueDisplay(int node) const
{
    const Tree::Node &n = m_tree->m_nodes[size_t(node)];
    switch (n.type) {
    // Whole phrases per number rather than "%n item(s)": there is no English plural catalogue.
    case Type::Object:
        return n.b == 1 ? tr("{1 member}") : tr("{%L1 members}").arg(n.b);
    case Type::Array:
        return n.b == 1 ? tr("[1 item]") : tr("[%L1 items]").arg(n.b);
    case Type::String: {
        const char *data = m_tree->m_source.constData() + n.valueBegin;
        QString text = decodeString(data + 1, qsizetype(n.a) - 2, n.flags & Tree::ValueEscaped, DisplayChars + 1);
        // One line per row: line breaks and tabs shown as symbols rather than cut off.
        text.replace(u'\n', u'↵').replace(u'\r', u'␍').replace(u'\t', u'⇥');
        return u'"' + elided(text, DisplayChars) + u'"';
    }
    case Type::Number:
    case Type::Boolean:
    case Type::Null:
        return elided(m_tree->scalarText(node), DisplayChars);
    case Type::Error:
        break;
    }
    return {};
}

QVariant JsonTreeModel::errorData(int column, int role) const
{
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
    case ValueRole:
        switch (column) {
        case KeyColumn: return tr("(not parsed)");
        case ValueColumn: return m_tree->errorString();
        case TypeColumn: return typeName(Type::Error);
        default: return {};
        }
    case TypeRole:
        return int(Type::Error);
    case ChildCountRole:
        return 0;
    default:
        return {};
    }
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!m_tree || !index.isValid())
        return {};
    if (index.internalId() == ErrorRowId)
        return errorData(index.column(), role);
    const int node = nodeOf(index);
    const int up = m_tree->parent(node);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case KeyColumn:
            if (up == Tree::NoNode)
                return tr("(root)");
            if (m_tree->type(up) == Type::Array)
                return u"[%1]"_s.arg(index.row());
            return elided(m_tree->key(node), DisplayChars);
        case ValueColumn:
            return valueDisplay(node);
        case TypeColumn:
            return typeName(m_tree->type(node));
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == ValueColumn && m_tree->type(node) == Type::String) {
            const Tree::Node &n = m_tree->m_nodes[size_t(node)];
            const char *data = m_tree->m_source.constData() + n.valueBegin;
            return elided(decodeString(data + 1, qsizetype(n.a) - 2, n.flags & Tree::ValueEscaped, ToolTipChars + 1), ToolTipChars);
        }
        return m_tree->path(node);
    case Qt::AccessibleTextRole:
        // "name: value" reads better than the cell alone, and a screen reader has no columns here.
        if (index.column() == KeyColumn)
            return tr("%1: %2, %3").arg(data(index, Qt::DisplayRole).toString(), valueDisplay(node), typeName(m_tree->type(node)));
        return {};
    case TypeRole:
        return int(m_tree->type(node));
    case PathRole:
        return m_tree->path(node);
    case ValueRole:
        return m_tree->scalarText(node);
    case RawJsonRole:
        return m_tree->rawJson(node);
    case ChildCountRole:
        return m_tree->childCount(node);
    default:
        return {};
    }
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case KeyColumn: return tr("Key");
    case ValueColumn: return tr("Value");
    case TypeColumn: return tr("Type");
    default: return {};
    }
}
