#include "contract/YamlToJson.h"

#include <QCborValue>
#include <QHash>
#include <QJsonDocument>
#include <QLocale>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QRegularExpression>
#include <QSet>

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <istream>
#include <streambuf>
#include <string>
#include <string_view>
#include <utility>

using namespace Qt::StringLiterals;

namespace {
QString where(const YAML::Mark &mark)
{
    if (mark.is_null())
        return {};
    return u"line %1, column %2: "_s.arg(mark.line + 1).arg(mark.column + 1);
}

// Lets yaml-cpp read the text where it is: an istringstream would hold two more copies of it.
class TextBuffer final : public std::streambuf
{
public:
    explicit TextBuffer(const QByteArray &text)
    {
        char *begin = const_cast<char *>(text.constData()); // only ever read: a get area needs char *
        setg(begin, begin, begin + text.size());
    }
};

// Appends a string as JSON: UTF-8 as it is (a sequence that is not UTF-8 becomes U+FFFD, as
// QString would make it), quotes, backslashes and control characters escaped.
void appendJsonString(QByteArray *out, std::string_view text)
{
    const bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return uchar(c) < 0x80; });
    QByteArray valid;
    if (!ascii) {
        valid = QString::fromUtf8(text.data(), qsizetype(text.size())).toUtf8();
        text = std::string_view(valid.constData(), size_t(valid.size()));
    }
    static constexpr char hex[] = "0123456789abcdef";
    out->append('"');
    size_t plain = 0; // where the run of characters that need no escape began
    for (size_t i = 0; i < text.size(); ++i) {
        const uchar c = uchar(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\')
            continue;
        out->append(text.data() + plain, qsizetype(i - plain));
        plain = i + 1;
        switch (c) {
        case '"': out->append("\\\""); break;
        case '\\': out->append("\\\\"); break;
        case '\n': out->append("\\n"); break;
        case '\r': out->append("\\r"); break;
        case '\t': out->append("\\t"); break;
        case '\b': out->append("\\b"); break;
        case '\f': out->append("\\f"); break;
        default: {
            const char escape[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 0xf]};
            out->append(escape, 6);
        }
        }
    }
    out->append(text.data() + plain, qsizetype(text.size() - plain));
    out->append('"');
}

// Whether plainScalar gives the text back unchanged (a string), decided without making a QString.
bool plainIsString(std::string_view text)
{
    if (text.empty())
        return false;
    const char first = text.front();
    if ((first >= '0' && first <= '9') || first == '-' || first == '+' || first == '.')
        return false;
    static constexpr std::string_view words[] = {"~", "null", "Null", "NULL", "true", "True", "TRUE", "false", "False", "FALSE"};
    return std::find(std::begin(words), std::end(words), text) == std::end(words);
}

// Writes the tree as compact JSON text from yaml-cpp's events, which Qt's JSON parser then turns
// into the tree in one pass: building QJsonObjects member by member (each insert a sorted insert,
// each key a QString) took twice as long as yaml-cpp's own parse. It never throws: past a limit it
// records the problem and ignores the rest of the events (the parser itself is linear in the text
// and never expands aliases).
class TextBuilder final : public YAML::EventHandler
{
public:
    explicit TextBuilder(const YamlToJson::Limits &limits, qsizetype expectedBytes)
        : m_limits(limits)
    {
        m_out.reserve(expectedBytes);
    }

    bool failed() const { return !m_error.isEmpty(); }
    QString error() const { return m_error; }
    bool done() const { return m_done; }
    QByteArray takeText() { return std::exchange(m_out, {}); }

    void OnDocumentStart(const YAML::Mark &) override {}
    void OnDocumentEnd() override { m_done = true; }

    void OnNull(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        if (!failed() && !m_done)
            scalar(mark, anchor, "null", u"null"_s, false);
    }

    void OnAlias(const YAML::Mark &mark, YAML::anchor_t anchor) override
    {
        if (failed() || m_done)
            return;
        const auto found = m_anchors.constFind(anchor);
        if (found == m_anchors.constEnd()) {
            fail(mark, u"an alias refers to a node that contains it (a recursive alias)"_s);
            return;
        }
        // The expanded size is what a reader of the tree pays, so that is what the budgets count.
        if (!spend(mark, found->cost))
            return;
        if (m_stack.size() + found->depth > m_limits.maxDepth) {
            fail(mark, u"nested deeper than %1 levels"_s.arg(m_limits.maxDepth));
            return;
        }
        m_aliasBytes += found->json.size();
        if (m_aliasBytes > m_limits.maxAliasBytes || m_out.size() + found->json.size() > m_limits.maxBytes) {
            fail(mark, u"its aliases repeat more than %L1 bytes of text (an alias bomb?)"_s.arg(
                           std::min(m_limits.maxAliasBytes, m_limits.maxBytes)));
            return;
        }
        if (!found->isContainer) {
            const Anchored anchored = *found; // scalar() may add to m_anchors
            place(mark, anchored.json, anchored.key, anchored.cost);
            return;
        }
        if (!m_stack.isEmpty() && m_stack.last().isMap && !m_stack.last().haveKey) {
            fail(mark, u"a mapping key is itself a mapping or a sequence, which JSON cannot hold"_s);
            return;
        }
        if (!beginValue(mark))
            return;
        m_out.append(found->json);
        endValue(mark, found->cost, found->depth, true);
    }

    void OnScalar(const YAML::Mark &mark, const std::string &tag, YAML::anchor_t anchor, const std::string &value) override
    {
        if (failed() || m_done)
            return;
        // "!" is a quoted scalar (or the non-specific tag): always a string, as is an explicit !!str.
        const bool isString = tag == "!" || tag == "tag:yaml.org,2002:str" || plainIsString(value);
        if (isString) {
            QByteArray json;
            appendJsonString(&json, value);
            scalar(mark, anchor, json, {}, true);
            return;
        }
        const QJsonValue parsed = YamlToJson::plainScalar(QString::fromStdString(value));
        QByteArray json;
        QString key;
        if (parsed.isString()) {
            appendJsonString(&json, value);
            scalar(mark, anchor, json, {}, true);
            return;
        }
        if (parsed.isNull()) {
            json = "null";
            key = u"null"_s;
        } else if (parsed.isBool()) {
            json = parsed.toBool() ? "true" : "false";
            key = QString::fromLatin1(json);
        } else {
            const QCborValue number = QCborValue::fromJsonValue(parsed);
            if (number.isInteger())
                json = QByteArray::number(number.toInteger());
            else if (std::isfinite(number.toDouble()))
                json = QByteArray::number(number.toDouble(), 'g', QLocale::FloatingPointShortest);
            else
                json = "null"; // JSON has no infinity (Qt writes null for it too)
            key = parsed.toVariant().toString();
        }
        scalar(mark, anchor, json, key, false);
    }

    void OnSequenceStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor, YAML::EmitterStyle::value) override
    {
        open(mark, anchor, false);
    }
    void OnSequenceEnd() override { close(); }

    void OnMapStart(const YAML::Mark &mark, const std::string &, YAML::anchor_t anchor, YAML::EmitterStyle::value) override
    {
        open(mark, anchor, true);
    }
    void OnMapEnd() override { close(); }

private:
    struct Frame
    {
        bool isMap = false;
        YAML::anchor_t anchor = 0;
        YAML::Mark mark;
        qsizetype start = 0;         // where its text begins in m_out
        qsizetype count = 0;         // members (elements) written
        bool haveKey = false;        // a map's key is written, its value awaited
        bool mergeValue = false;     // ... and that key is "<<": the value is a merge source
        qsizetype mergeStart = 0;    // where that value's text begins
        QSet<QByteArray> keys;       // the mapping's own keys, as JSON text
        QList<QByteArray> merges;    // the text of each "<<" source, in order
        qint64 cost = 1;             // nodes inside, aliases expanded
        int depth = 1;               // levels inside, this one included
    };
    struct Anchored
    {
        QByteArray json;
        QString key; // a scalar as a mapping key ("" when json is a string: its text is the key)
        bool isContainer = false;
        qint64 cost = 1;
        int depth = 0;
    };

    void fail(const YAML::Mark &mark, const QString &what)
    {
        if (!failed())
            m_error = where(mark) + what;
    }

    bool spend(const YAML::Mark &mark, qint64 cost)
    {
        m_nodes += cost;
        if (m_nodes > m_limits.maxNodes) {
            fail(mark, u"more than %L1 nodes once its aliases are expanded (an alias bomb?)"_s.arg(m_limits.maxNodes));
            return false;
        }
        return true;
    }

    void scalar(const YAML::Mark &mark, YAML::anchor_t anchor, const QByteArray &json, const QString &key, bool isString)
    {
        if (failed() || m_done || !spend(mark, 1))
            return;
        if (anchor != 0)
            m_anchors.insert(anchor, Anchored{json, isString ? QString() : key, false, 1, 0});
        place(mark, json, isString ? QString() : key, 1);
    }

    // A scalar (or an alias of one): a mapping's key, or a value.
    void place(const YAML::Mark &mark, const QByteArray &json, const QString &key, qint64 cost)
    {
        if (!m_stack.isEmpty() && m_stack.last().isMap && !m_stack.last().haveKey) {
            Frame &map = m_stack.last();
            map.cost += cost;
            // A key that is not a string is written as the text JSON gives its value (200 → "200").
            QByteArray keyJson = json;
            if (!key.isNull()) {
                keyJson.clear();
                appendJsonString(&keyJson, key.toStdString());
            }
            map.haveKey = true;
            if (keyJson == "\"<<\"") {
                map.mergeValue = true;
                map.mergeStart = m_out.size();
                m_pendingKey = keyJson;
                return;
            }
            if (map.keys.contains(keyJson)) {
                const QString name = QJsonDocument::fromJson("[" + keyJson + "]").array().at(0).toString();
                fail(mark, u"the key \"%1\" appears twice in one mapping"_s.arg(name.left(80)));
                return;
            }
            map.keys.insert(keyJson);
            if (map.count > 0)
                m_out.append(',');
            m_out.append(keyJson);
            m_out.append(':');
            return;
        }
        if (!beginValue(mark))
            return;
        m_out.append(json);
        endValue(mark, cost, 0, false);
    }

    // Before a value's text: the separator its parent needs.
    bool beginValue(const YAML::Mark &)
    {
        if (m_stack.isEmpty())
            return true;
        Frame &parent = m_stack.last();
        if (!parent.isMap && parent.count > 0)
            m_out.append(',');
        return true;
    }

    // After a value's text: counted in its parent; a "<<" value set aside as a merge source.
    void endValue(const YAML::Mark &mark, qint64 cost, int depth, bool isContainer)
    {
        if (m_stack.isEmpty())
            return;
        Frame &parent = m_stack.last();
        parent.cost += cost;
        parent.depth = std::max(parent.depth, depth + 1);
        if (parent.isMap) {
            parent.haveKey = false;
            if (parent.mergeValue) {
                parent.mergeValue = false;
                if (isContainer) {
                    parent.merges.append(m_out.mid(parent.mergeStart));
                    m_out.truncate(parent.mergeStart);
                    return;
                }
                // "<<" with a scalar value is an ordinary key.
                const QByteArray value = m_out.mid(parent.mergeStart);
                m_out.truncate(parent.mergeStart);
                if (parent.keys.contains(m_pendingKey)) {
                    fail(mark, u"the key \"<<\" appears twice in one mapping"_s);
                    return;
                }
                parent.keys.insert(m_pendingKey);
                if (parent.count > 0)
                    m_out.append(',');
                m_out.append(m_pendingKey + ':' + value);
            }
        }
        ++parent.count;
    }

    void open(const YAML::Mark &mark, YAML::anchor_t anchor, bool isMap)
    {
        if (failed() || m_done || !spend(mark, 1))
            return;
        if (m_stack.size() >= m_limits.maxDepth) {
            fail(mark, u"nested deeper than %1 levels"_s.arg(m_limits.maxDepth));
            return;
        }
        if (!m_stack.isEmpty() && m_stack.last().isMap && !m_stack.last().haveKey) {
            fail(mark, u"a mapping key is itself a mapping or a sequence, which JSON cannot hold"_s);
            return;
        }
        beginValue(mark);
        Frame frame;
        frame.isMap = isMap;
        frame.anchor = anchor;
        frame.mark = mark;
        frame.start = m_out.size();
        m_out.append(isMap ? '{' : '[');
        m_stack.append(std::move(frame));
    }

    void close()
    {
        if (failed() || m_done || m_stack.isEmpty())
            return;
        Frame frame = m_stack.takeLast();
        if (frame.isMap && frame.haveKey) {
            fail(frame.mark, u"a mapping key has no value"_s);
            return;
        }
        m_out.append(frame.isMap ? '}' : ']');
        if (!frame.merges.isEmpty())
            applyMerges(frame);
        if (frame.anchor != 0)
            m_anchors.insert(frame.anchor, Anchored{m_out.mid(frame.start), {}, true, frame.cost, frame.depth});
        endValue(frame.mark, frame.cost, frame.depth, true);
    }

    // YAML 1.1's merge key: the members of the mapping(s) the mapping does not set itself, the first
    // source first. Rare, so done on trees: the mapping's text is read back and written again.
    void applyMerges(const Frame &frame)
    {
        QJsonObject object = QJsonDocument::fromJson(m_out.mid(frame.start)).object();
        QSet<QString> own;
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            own.insert(it.key());
        for (const QByteArray &text : frame.merges) {
            const QJsonValue source = QJsonDocument::fromJson("[" + text + "]").array().at(0);
            const QJsonArray sources = source.isArray() ? source.toArray() : QJsonArray{source};
            for (const QJsonValue &one : sources) {
                const QJsonObject members = one.toObject();
                for (auto it = members.begin(); it != members.end(); ++it) {
                    if (!object.contains(it.key()))
                        object.insert(it.key(), it.value());
                }
            }
        }
        m_out.truncate(frame.start);
        m_out.append(QJsonDocument(object).toJson(QJsonDocument::Compact));
    }

    const YamlToJson::Limits m_limits;
    QList<Frame> m_stack;
    QHash<YAML::anchor_t, Anchored> m_anchors;
    QByteArray m_out;
    QByteArray m_pendingKey;
    QString m_error;
    qint64 m_nodes = 0;
    qint64 m_aliasBytes = 0;
    bool m_done = false;
};
} // namespace

QJsonValue YamlToJson::plainScalar(const QString &text)
{
    static const QRegularExpression integer(u"^[-+]?[0-9]+$"_s);
    static const QRegularExpression octal(u"^0o[0-7]+$"_s);
    static const QRegularExpression hex(u"^0x[0-9a-fA-F]+$"_s);
    static const QRegularExpression floating(u"^[-+]?(\\.[0-9]+|[0-9]+(\\.[0-9]*)?)([eE][-+]?[0-9]+)?$"_s);
    if (text.isEmpty() || text == u"~"_s || text == u"null"_s || text == u"Null"_s || text == u"NULL"_s)
        return QJsonValue(QJsonValue::Null);
    if (text == u"true"_s || text == u"True"_s || text == u"TRUE"_s)
        return true;
    if (text == u"false"_s || text == u"False"_s || text == u"FALSE"_s)
        return false;
    const QChar first = text.front();
    if (!first.isDigit() && first != u'-' && first != u'+' && first != u'.')
        return text;
    bool ok = false;
    if (integer.match(text).hasMatch()) {
        const qlonglong n = text.toLongLong(&ok);
        if (ok)
            return QJsonValue(n);
        return text.toDouble();
    }
    if (octal.match(text).hasMatch())
        return QJsonValue(text.mid(2).toLongLong(&ok, 8));
    if (hex.match(text).hasMatch())
        return QJsonValue(text.mid(2).toLongLong(&ok, 16));
    if (floating.match(text).hasMatch())
        return text.toDouble();
    // .inf and .nan have no JSON form: kept as the text they are.
    return text;
}

int YamlToJson::flowDepth(const QByteArray &yaml, int limit, int *line)
{
    const char *text = yaml.constData();
    const qsizetype size = yaml.size();
    const auto isSpace = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
    int depth = 0;
    int lineNumber = 1;
    qsizetype lineStart = 0;
    bool tokenStart = true; // where a flow collection, a quoted scalar or a block scalar may begin
    for (qsizetype i = 0; i < size; ++i) {
        const char c = text[i];
        const char next = i + 1 < size ? text[i + 1] : '\n';
        if (c == '\n') {
            ++lineNumber;
            lineStart = i + 1;
            tokenStart = true;
            continue;
        }
        if (c == ' ' || c == '\t' || c == '\r')
            continue;
        if (c == '#' && (i == 0 || isSpace(text[i - 1]))) {
            while (i + 1 < size && text[i + 1] != '\n')
                ++i;
            continue;
        }
        if (tokenStart && (c == '"' || c == '\'')) {
            for (++i; i < size; ++i) {
                if (text[i] == '\n') {
                    ++lineNumber;
                    lineStart = i + 1;
                } else if (c == '"' && text[i] == '\\') {
                    if (i + 1 < size && text[i + 1] == '\n') {
                        ++lineNumber;
                        lineStart = i + 2;
                    }
                    ++i;
                } else if (text[i] == c) {
                    if (c == '\'' && i + 1 < size && text[i + 1] == '\'')
                        ++i; // '' is a quote inside a single-quoted scalar
                    else
                        break;
                }
            }
            tokenStart = false;
            continue;
        }
        if (tokenStart && depth == 0 && (c == '|' || c == '>')) {
            // A block scalar: every following line indented deeper than this one (or blank) is text.
            qsizetype indent = 0;
            while (lineStart + indent < size && text[lineStart + indent] == ' ')
                ++indent;
            while (i < size && text[i] != '\n')
                ++i;
            while (i + 1 < size) {
                qsizetype j = i + 1;
                qsizetype spaces = 0;
                while (j < size && text[j] == ' ') {
                    ++j;
                    ++spaces;
                }
                const bool blank = j >= size || text[j] == '\n' || text[j] == '\r';
                if (!blank && spaces <= indent)
                    break;
                while (j < size && text[j] != '\n')
                    ++j;
                ++lineNumber;
                lineStart = i + 1;
                i = j;
            }
            continue;
        }
        if ((c == '[' || c == '{') && (tokenStart || depth > 0)) {
            if (++depth > limit) {
                if (line)
                    *line = lineNumber;
                return limit + 1;
            }
            tokenStart = true;
            continue;
        }
        if ((c == ']' || c == '}') && depth > 0) {
            --depth;
            tokenStart = false;
            continue;
        }
        if ((c == ',' && depth > 0) || ((c == ':' || c == '-' || c == '?') && (isSpace(next) || depth > 0))) {
            tokenStart = true;
            continue;
        }
        tokenStart = false;
    }
    return depth;
}

std::optional<QByteArray> YamlToJson::toJsonText(const QByteArray &yaml, QString *error, const Limits &limits)
{
    const auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (yaml.size() > limits.maxBytes)
        return refuse(u"the YAML text is larger than %L1 bytes"_s.arg(limits.maxBytes));
    if (int line = 0; flowDepth(yaml, limits.maxDepth, &line) > limits.maxDepth)
        return refuse(u"line %1: nested deeper than %2 levels"_s.arg(line).arg(limits.maxDepth));
    // Compact JSON comes out near the size of the YAML: a little room, so it rarely has to grow.
    TextBuilder builder(limits, yaml.size() + yaml.size() / 8 + 64);
    // yaml-cpp reports malformed text with exceptions; they end here, as values. Its parser guards
    // its own recursion (YAML::DeepRecursion at 2000 levels), so deep nesting cannot overflow the stack.
    try {
        TextBuffer buffer(yaml);
        std::istream stream(&buffer);
        YAML::Parser parser(stream);
        if (!parser.HandleNextDocument(builder))
            return refuse(u"the YAML text holds no document"_s);
    } catch (const YAML::DeepRecursion &e) {
        return refuse(where(e.mark) + u"nested too deeply"_s);
    } catch (const YAML::Exception &e) {
        return refuse(where(e.mark) + QString::fromStdString(e.msg));
    } catch (const std::exception &e) {
        return refuse(u"the YAML text cannot be read: %1"_s.arg(QString::fromLocal8Bit(e.what())));
    }
    if (builder.failed())
        return refuse(builder.error());
    if (!builder.done())
        return refuse(u"the YAML document is incomplete"_s);
    return builder.takeText();
}

std::optional<QJsonValue> YamlToJson::convert(const QByteArray &yaml, QString *error, const Limits &limits)
{
    const std::optional<QByteArray> json = toJsonText(yaml, error, limits);
    if (!json)
        return std::nullopt;
    // In an array: the document may be a scalar, which QJsonDocument does not read on its own.
    QJsonParseError parseError;
    const QJsonDocument document = QJsonDocument::fromJson('[' + *json + ']', &parseError);
    if (parseError.error != QJsonParseError::NoError) {
        // Not expected: the text is written to be JSON. Said, rather than read as an empty tree.
        if (error)
            *error = u"the YAML could not be made JSON (%1)"_s.arg(parseError.errorString());
        return std::nullopt;
    }
    return document.array().at(0);
}
